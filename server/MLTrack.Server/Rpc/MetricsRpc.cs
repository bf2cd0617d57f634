using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Rpc;

/// <summary>metrics/*.</summary>
public sealed class MetricsRpc(RpcSession session) : IMetricsRpc
{
    public const int DefaultMaxPoints = 100_000;
    public const int MaxBuckets = 100_000;
    public const int DefaultLatestRuns = 20;
    public const int MaxLatestRuns = 1_000;
    public const int SparklinePoints = 20;
    private const int NewestSlack = 10;

    public Task<MetricHistoryResult> HistoryAsync(MetricHistoryParams request, CancellationToken cancellationToken)
    {
        var store = session.Store;
        var runId = store.ResolveRunId(RpcException.Require(request?.RunId, "runId"));
        var key = RpcException.Require(request!.Key, "key");
        if (request.FromStep is { } from && request.ToStep is { } to && to < from)
            throw RpcException.InvalidParams($"Step range is empty: fromStep {from} > toStep {to}.");
        if (request.Buckets is { } buckets)
        {
            if (buckets is < 1 or > MaxBuckets) throw RpcException.InvalidParams($"'buckets' must be between 1 and {MaxBuckets}, got {buckets}.");
            var view = store.GetMetricBuckets(runId, key, buckets, request.FromStep, request.ToStep)
                .Select(b => new MetricBucketDto(b.FromStep, b.ToStep, b.Count, b.Min, b.Max, b.LastStep, b.Last)).ToList();
            return Task.FromResult(new MetricHistoryResult(runId, key, null, view, false));
        }
        var maxPoints = request.MaxPoints ?? DefaultMaxPoints;
        if (maxPoints < 1) throw RpcException.InvalidParams($"'maxPoints' must be at least 1, got {maxPoints}.");
        var points = store.GetMetricHistory(runId, key, request.FromStep, request.ToStep);
        var truncated = points.Count > maxPoints;
        var list = points.Take(maxPoints).Select(p => new MetricPointDto(p.Step, p.Timestamp, p.Value)).ToList();
        return Task.FromResult(new MetricHistoryResult(runId, key, list, null, truncated));
    }

    public Task<IReadOnlyList<MetricSummaryDto>> KeysAsync(RunIdParams request, CancellationToken cancellationToken)
    {
        var store = session.Store;
        var runId = store.ResolveRunId(RpcException.Require(request?.RunId, "runId"));
        IReadOnlyList<MetricSummaryDto> keys = store.GetMetricSummaries(runId).Select(DtoMapper.ToDto).ToList();
        return Task.FromResult(keys);
    }

    /// <summary>
    /// Works from the metric_series digests the run listing already carries (latest, min, max, count per key); no
    /// metric history is read except the tail of the latest run's series for the sparkline.
    /// </summary>
    public Task<MetricLatestResult> LatestAsync(MetricLatestParams request, CancellationToken cancellationToken)
    {
        var store = session.Store;
        var key = RpcException.Require(request?.Key, "key");
        var limit = request!.Limit ?? DefaultLatestRuns;
        if (limit is < 1 or > MaxLatestRuns) throw RpcException.InvalidParams($"'limit' must be between 1 and {MaxLatestRuns}, got {limit}.");
        var lowerIsBetter = MetricDirection.LowerIsBetter(key);
        // Fast path: the key is usually one the recent runs log (the script being edited), so a page of the newest
        // runs (ordered by start time, with their digests) holds enough of them. Otherwise ask the store to filter,
        // which checks every run's digest (tens of ms with 10,000 runs).
        var newest = store.SearchRuns(new RunQuery
        {
            ExperimentIds = request.ExperimentIds ?? [],
            MaxResults = limit + NewestSlack,
        });
        var runs = newest.Runs.Where(r => r.Metrics.Any(m => m.Key == key)).Take(limit).ToList();
        if (runs.Count < limit && newest.NextPageToken is not null)
        {
            runs = store.SearchRuns(new RunQuery
            {
                // Every finite value passes; the filter language has no "exists", and NaN latest values are stored as NULL.
                Filter = $"metrics.{QuoteKey(key)} >= -1e308",
                ExperimentIds = request.ExperimentIds ?? [],
                MaxResults = limit,
            }).Runs.ToList();
        }

        var recent = new List<MetricRunValue>(runs.Count);
        MetricRunValue? best = null;
        double bestValue = double.NaN;
        foreach (var run in runs)
        {
            if (run.Metrics.FirstOrDefault(m => m.Key == key) is not { } m) continue;
            recent.Add(Value(run, m, m.Latest));
            var candidate = lowerIsBetter ? m.Min : m.Max;
            if (MetricDirection.IsBetter(key, candidate, bestValue))
            {
                bestValue = candidate;
                best = Value(run, m, candidate);
            }
        }
        var latest = recent.Count > 0 ? recent[0] : null;
        var sparkline = latest is null ? [] : Tail(store, latest.RunId, key, latest.Step, latest.Count);
        return Task.FromResult(new MetricLatestResult(key, lowerIsBetter, latest, best, recent, sparkline));
    }

    private static MetricRunValue Value(Run run, MetricSummary m, double value) =>
        new(run.RunId, run.Name, run.ExperimentId, run.Status.ToString(), run.StartTime, value, m.LatestStep, m.Count);

    /// <summary>
    /// The last points of a series without reading all of it: guess the step stride from the digest (last step over
    /// count), read a window of about twice the points needed, widen once if the guess was too narrow.
    /// </summary>
    private static IReadOnlyList<MetricPointDto> Tail(ITrackingStore store, string runId, string key, long lastStep, long count)
    {
        long stride = Math.Max(1, lastStep / Math.Max(1, count - 1));
        IReadOnlyList<SeriesPoint> points = [];
        foreach (var factor in new long[] { 2, 64 })
        {
            long span = stride * SparklinePoints * factor;
            long from = lastStep >= long.MinValue + span ? lastStep - span : long.MinValue;
            points = store.GetMetricHistory(runId, key, from, lastStep);
            if (points.Count >= SparklinePoints || points.Count >= count) break;
        }
        return points.Skip(Math.Max(0, points.Count - SparklinePoints)).Select(p => new MetricPointDto(p.Step, p.Timestamp, p.Value)).ToList();
    }

    private static string QuoteKey(string key)
    {
        if (!key.Contains('`')) return "`" + key + "`";
        if (!key.Contains('"')) return "\"" + key + "\"";
        throw RpcException.InvalidParams($"Metric key '{key}' contains both ` and \"; it cannot be looked up.");
    }
}
