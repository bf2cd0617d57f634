using MLTrack.Core.Analytics;
using MLTrack.Core.Lineage;
using MLTrack.Core.Runs;

namespace MLTrack.Core.Reports.Data;

/// <summary>
/// One experiment's runs in a report's window: counts (exact, aggregated in SQL) and, when <see cref="Detailed"/>, the
/// newest runs with their params and metric summaries (<see cref="Sample"/>, at most the collector's cap;
/// <see cref="SampleCapped"/> says when it holds fewer than all), the target metric and the best run by it (exact over
/// the window). The technical report adds convergence curves and the best run's lineage.
/// </summary>
public sealed record ExperimentData(
    Experiment Experiment,
    PeriodActivity Activity,
    long LastRunStart,
    bool Detailed,
    TargetMetric? Target,
    Run? Best,
    IReadOnlyList<Run> Sample,
    bool SampleCapped)
{
    public string Id => Experiment.ExperimentId;
    public string Name => Experiment.Name;

    public IReadOnlyList<ConvergenceSeries> Convergence { get; init; } = [];
    public LineageGraph? Lineage { get; init; }

    /// <summary>The best run's finite target value.</summary>
    public double? BestValue => Best is null || Target is null ? null : Insights.ParameterAssociation.Value(Best, Target.Key);

    /// <summary>Finite target values of the sampled runs, in sample order (newest first).</summary>
    public IReadOnlyList<double> TargetValues =>
        Target is null ? [] : Sample.Select(r => Insights.ParameterAssociation.Value(r, Target.Key)).OfType<double>().ToList();
}

/// <summary>A run's metric history, bucketed by step for a convergence chart.</summary>
public sealed record ConvergenceSeries(string RunId, string Label, string Key, IReadOnlyList<Metrics.MetricBucket> Buckets);
