using MLTrack.Core.Metrics;

namespace MLTrack.Core.Storage;

/// <summary>Reads of metric series (points are written by <see cref="IRunStore.LogBatch"/>): summaries, histories, bucketed views.</summary>
public interface IMetricStore
{
    IReadOnlyList<MetricSummary> GetMetricSummaries(string runId);
    /// <summary>Every point of one key in step order (then timestamp), optionally restricted to [fromStep, toStep].</summary>
    IReadOnlyList<SeriesPoint> GetMetricHistory(string runId, string key, long? fromStep = null, long? toStep = null);
    /// <summary>The series over [fromStep, toStep] (default: all of it) cut into at most <paramref name="buckets"/> equal step ranges.</summary>
    IReadOnlyList<MetricBucket> GetMetricBuckets(string runId, string key, int buckets, long? fromStep = null, long? toStep = null);
    /// <summary>Distinct metric keys, sorted.</summary>
    IReadOnlyList<string> ListMetricKeys();
}
