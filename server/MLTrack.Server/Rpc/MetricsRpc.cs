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

    public const int MaxHistoryManyRuns = 500;

    public Task<MetricHistoryResult> HistoryAsync(MetricHistoryParams request, CancellationToken cancellationToken)
    {
        var store = session.Store;
        var runId = RpcException.Require(request?.RunId, "runId");
        var range = HistoryRange.Of(request!.Key, request.FromStep, request.ToStep, request.Buckets, request.MaxPoints);
        return Task.FromResult(ReadHistory(store, runId, range));
    }

    /// <summary>
    /// <see cref="HistoryAsync"/> for many runs at once: the parameters are checked once, then every run is read with
    /// the same code on the thread pool (the store serves concurrent reads on pooled connections). A run that cannot
    /// be read (missing, ambiguous prefix, ...) gets an entry with <c>error</c> instead of failing the call.
    /// </summary>
    public async Task<MetricHistoryManyResult> HistoryManyAsync(MetricHistoryManyParams request, CancellationToken cancellationToken)
    {
        var store = session.Store;
        var runIds = request?.RunIds ?? throw RpcException.InvalidParams("'runIds' is required.");
        if (runIds.Count > MaxHistoryManyRuns)
            throw RpcException.InvalidParams($"'runIds' holds {runIds.Count} ids; at most {MaxHistoryManyRuns} per call.");
        var range = HistoryRange.Of(request!.Key, request.FromStep, request.ToStep, request.Buckets, request.MaxPoints);
        var series = new MetricSeriesResult[runIds.Count];
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        await Parallel.ForEachAsync(Enumerable.Range(0, runIds.Count), options, (i, ct) =>
        {
            ct.ThrowIfCancellationRequested();
            series[i] = ReadSeries(store, runIds[i], range);
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);
        return new MetricHistoryManyResult(series);
    }

    /// <summary>One entry of <c>metrics/historyMany</c>: the run's history, or why it could not be read.</summary>
    private static MetricSeriesResult ReadSeries(ITrackingStore store, string? runId, HistoryRange range)
    {
        try
        {
            var h = ReadHistory(store, RpcException.Require(runId, "runIds[]"), range);
            return new MetricSeriesResult(h.RunId, h.Points, h.Buckets, h.Truncated, null);
        }
        catch (Exception e) when (e is StoreException or RpcException or ArgumentException)
        {
            var error = e switch
            {
                StoreException s => new MetricSeriesError(MLTrackJsonRpc.CodeOf(s.Code), s.ClientMessage, new RpcErrorData(MLTrackJsonRpc.NameOf(s.Code))),
                RpcException r => new MetricSeriesError(r.Code, r.Message, new RpcErrorData(r.ErrorCode)),
                _ => new MetricSeriesError(RpcErrorCodes.InvalidParameterValue, e.Message, new RpcErrorData("INVALID_PARAMETER_VALUE")),
            };
            return new MetricSeriesResult(runId ?? "", null, null, false, error);
        }
    }

    /// <summary>The checked, run-independent part of a history request (shared by metrics/history and metrics/historyMany).</summary>
    private sealed record HistoryRange(string Key, long? FromStep, long? ToStep, int? Buckets, int MaxPoints)
    {
        public static HistoryRange Of(string? key, long? fromStep, long? toStep, int? buckets, int? maxPoints)
        {
            var k = RpcException.Require(key, "key");
            if (fromStep is { } from && toStep is { } to && to < from)
                throw RpcException.InvalidParams($"Step range is empty: fromStep {from} > toStep {to}.");
            if (buckets is < 1 or > MaxBuckets) throw RpcException.InvalidParams($"'buckets' must be between 1 and {MaxBuckets}, got {buckets}.");
            var max = maxPoints ?? DefaultMaxPoints;
            // Checked in raw mode only (as ever): bucketed requests ignore maxPoints.
            if (buckets is null && max < 1) throw RpcException.InvalidParams($"'maxPoints' must be at least 1, got {max}.");
            return new HistoryRange(k, fromStep, toStep, buckets, max);
        }
    }

    /// <summary>The single-run read behind both history methods: raw points (capped) or buckets.</summary>
    private static MetricHistoryResult ReadHistory(ITrackingStore store, string runIdOrPrefix, HistoryRange q)
    {
        var runId = store.ResolveRunId(runIdOrPrefix);
        if (q.Buckets is { } buckets)
        {
            var view = store.GetMetricBuckets(runId, q.Key, buckets, q.FromStep, q.ToStep)
                .Select(b => new MetricBucketDto(b.FromStep, b.ToStep, b.Count, b.Min, b.Max, b.LastStep, b.Last)).ToList();
            return new MetricHistoryResult(runId, q.Key, null, view, false);
        }
        var points = store.GetMetricHistory(runId, q.Key, q.FromStep, q.ToStep);
        var truncated = points.Count > q.MaxPoints;
        var list = points.Take(q.MaxPoints).Select(p => new MetricPointDto(p.Step, p.Timestamp, p.Value)).ToList();
        return new MetricHistoryResult(runId, q.Key, list, null, truncated);
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
