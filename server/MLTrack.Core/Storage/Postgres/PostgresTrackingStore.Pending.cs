using MLTrack.Core.Analytics;

namespace MLTrack.Core.Storage.Postgres;

// TEMPORARY scaffold while the areas are written in parallel: each area's author deletes its methods from here when
// its partial file implements them. This file must be gone before the issue is done.
public sealed partial class PostgresTrackingStore
{
    // IAnalyticsStore
    public IReadOnlyList<PeriodActivity> AggregateRuns(IReadOnlyList<Period> periods, RunScope scope) => throw new NotImplementedException();
    public IReadOnlyList<PeriodBest?> BestMetricPerPeriod(IReadOnlyList<Period> periods, RunScope scope, string key, bool higherIsBetter) => throw new NotImplementedException();
    public IReadOnlyList<(string ExperimentId, PeriodActivity Activity, long LastStart)> AggregateRunsByExperiment(long from, long to, RunScope scope) => throw new NotImplementedException();
    public (int Experiments, int Users) CountDistinct(long from, long to, RunScope scope) => throw new NotImplementedException();
    public long? FirstRunStart(RunScope scope) => throw new NotImplementedException();
    public IReadOnlyList<string> ListRunUsers() => throw new NotImplementedException();
}
