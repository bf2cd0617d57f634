namespace MLTrack.Core.Metrics;

/// <summary>
/// One bucket of a downsampled series over a step range: the envelope (min/max of non-NaN values) and the last point
/// (highest step) inside [FromStep, ToStep]. Empty buckets are omitted, so charts show gaps.
/// </summary>
public readonly record struct MetricBucket(long FromStep, long ToStep, long Count, double Min, double Max, long LastStep, double Last);
