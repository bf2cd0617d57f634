namespace MLTrack.Core.Metrics;

/// <summary>
/// Per-key digest of a run's metric: the latest point (highest step, then newest timestamp, as MLflow defines it)
/// and min/max over all non-NaN values.
/// </summary>
public sealed record MetricSummary(string Key, double Latest, long LatestStep, long LatestTimestamp, double Min, double Max, long Count);
