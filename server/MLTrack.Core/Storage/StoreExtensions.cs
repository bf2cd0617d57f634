using MLTrack.Core.Metrics;

namespace MLTrack.Core.Storage;

/// <summary>Single-item conveniences over <see cref="ITrackingStore.LogBatch"/>.</summary>
public static class StoreExtensions
{
    public static void LogMetric(this ITrackingStore store, string runId, string key, double value, long step, long? timestamp = null) =>
        store.LogBatch(runId, new RunBatch { Metrics = [new MetricPoint(key, value, timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), step)] });

    public static void LogMetrics(this ITrackingStore store, string runId, IReadOnlyList<MetricPoint> points) =>
        store.LogBatch(runId, new RunBatch { Metrics = points });

    public static void LogParam(this ITrackingStore store, string runId, string key, string value) =>
        store.LogBatch(runId, new RunBatch { Params = [new(key, value)] });

    public static void LogParams(this ITrackingStore store, string runId, IEnumerable<KeyValuePair<string, string>> parameters) =>
        store.LogBatch(runId, new RunBatch { Params = parameters.ToList() });
}
