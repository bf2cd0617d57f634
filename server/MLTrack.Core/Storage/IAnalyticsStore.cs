using MLTrack.Core.Analytics;

namespace MLTrack.Core.Storage;

/// <summary>Aggregates over the active runs that STARTED in each period (periods are contiguous, ascending).</summary>
public interface IAnalyticsStore
{
    /// <summary>Per period: runs started, finished, failed (incl. CRASHED), hours of those that ended, distinct experiments and users.</summary>
    IReadOnlyList<PeriodActivity> AggregateRuns(IReadOnlyList<Period> periods, RunScope scope);
    /// <summary>Per period: the best of <paramref name="key"/> (each run's max, or min when lower is better) and its run; null without values.</summary>
    IReadOnlyList<PeriodBest?> BestMetricPerPeriod(IReadOnlyList<Period> periods, RunScope scope, string key, bool higherIsBetter);
    /// <summary>
    /// Per experiment with active runs in scope that started in [from, to): its activity (Experiments is 1) and the
    /// start of its newest such run. One pass over the window.
    /// </summary>
    IReadOnlyList<(string ExperimentId, PeriodActivity Activity, long LastStart)> AggregateRunsByExperiment(long from, long to, RunScope scope);
    /// <summary>Distinct experiments and users of the active runs in scope that started in [from, to).</summary>
    (int Experiments, int Users) CountDistinct(long from, long to, RunScope scope);
    /// <summary>Start time of the oldest active run in scope; null when there is none.</summary>
    long? FirstRunStart(RunScope scope);
    /// <summary>Distinct users of active runs, sorted.</summary>
    IReadOnlyList<string> ListRunUsers();
}
