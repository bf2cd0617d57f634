using Microsoft.AspNetCore.Http;
using MLTrack.Core.Metrics;
using MLTrack.Core.Storage;
using MLTrack.Server.Http.Dto;

namespace MLTrack.Server.Http;

/// <summary>Handlers of log-metric, log-batch and metrics/get-history. Routes are declared in <see cref="RestRoutes"/>.</summary>
internal sealed class MetricEndpoints(ITrackingStore store)
{
    public async Task LogMetric(HttpContext ctx)
    {
        var req = await ApiJson.ReadBodyAsync<LogMetricRequest>(ctx);
        var runId = req.RequireRunId();
        var key = MlflowLimits.Key(req.Key, "key", "Metric");
        if (req.Value is not { } value) throw ApiException.MissingParameter("value");
        store.LogBatch(runId, new RunBatch { Metrics = [new MetricPoint(key, value, req.Timestamp ?? MlflowLimits.Now(), req.Step ?? 0)] });
        await ApiJson.WriteAsync(ctx, EmptyResponse.Instance);
    }

    public async Task LogBatch(HttpContext ctx)
    {
        var req = await ApiJson.ReadBodyAsync<LogBatchRequest>(ctx);
        var runId = req.RequireRunId();
        var metrics = req.Metrics ?? [];
        var parameters = req.Params ?? [];
        var tags = req.Tags ?? [];
        MlflowLimits.CheckBatchSize(metrics.Count, parameters.Count, tags.Count);
        long now = MlflowLimits.Now();
        var points = new MetricPoint[metrics.Count];
        for (int i = 0; i < points.Length; i++) points[i] = MlflowLimits.Metric(metrics[i], $"metrics[{i}]", now);
        var ps = new KeyValuePair<string, string>[parameters.Count];
        for (int i = 0; i < ps.Length; i++) ps[i] = MlflowLimits.Param(parameters[i], $"params[{i}]");
        var ts = new KeyValuePair<string, string>[tags.Count];
        for (int i = 0; i < ts.Length; i++) ts[i] = MlflowLimits.Tag(tags[i], $"tags[{i}]");
        store.LogBatch(runId, new RunBatch
        {
            Metrics = points,
            Params = ps,
            Tags = ts,
            IdempotencyKey = req.MltrackBatchId is { Length: > 0 } b ? b : null,
        });
        if (ts.LastOrDefault(t => t.Key == MlflowMapping.RunNameTag) is { Value.Length: > 0 } rename)
            store.UpdateRun(runId, new Core.Runs.RunUpdate { Name = rename.Value });
        await ApiJson.WriteAsync(ctx, EmptyResponse.Instance);
    }

    public async Task GetHistory(HttpContext ctx)
    {
        var req = await ApiJson.ReadRequestAsync<GetMetricHistoryRequest>(ctx);
        var runId = req.RequireRunId();
        var key = req.MetricKey is { Length: > 0 } k ? k : throw ApiException.MissingParameter("metric_key");
        if (req.MaxResults is < 1) throw ApiException.InvalidParameter($"Invalid value {req.MaxResults} for parameter 'max_results': it must be at least 1.");
        var history = store.GetMetricHistory(runId, key);
        long offset = PageToken.Decode(req.PageToken);
        int start = (int)Math.Min(offset, history.Count);
        int count = (int)Math.Min(req.MaxResults ?? long.MaxValue, history.Count - start);
        var page = new MetricMessage[count];
        for (int i = 0; i < count; i++)
        {
            var p = history[start + i];
            page[i] = new MetricMessage { Key = key, Value = p.Value, Timestamp = p.Timestamp, Step = p.Step };
        }
        var next = start + count < history.Count ? PageToken.Encode(start + count) : null;
        await ApiJson.WriteAsync(ctx, new GetMetricHistoryResponse { Metrics = page, NextPageToken = next });
    }
}
