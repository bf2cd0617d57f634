using MLTrack.Server.Rpc.Dto;
using StreamJsonRpc;

namespace MLTrack.Server.Rpc;

/// <summary>Metric histories and digests.</summary>
// Only SystemTextJsonFormatter is used, so no PolyType shape is needed (StreamJsonRpc0008).
#pragma warning disable StreamJsonRpc0008
[JsonRpcContract]
public partial interface IMetricsRpc
{
    /// <summary>Raw points of one series over a step range, or a bucketed view of it when <c>buckets</c> is given.</summary>
    [JsonRpcMethod(RpcMethods.MetricsHistory, UseSingleObjectParameterDeserialization = true)]
    Task<MetricHistoryResult> HistoryAsync(MetricHistoryParams request, CancellationToken cancellationToken);

    /// <summary>
    /// <c>metrics/history</c> for many runs and one key in one call (chart overlays): at most
    /// <see cref="MetricsRpc.MaxHistoryManyRuns"/> ids, the same range/buckets/maxPoints applied to each run. The
    /// runs are read in parallel; the result has one entry per requested id, in order. A run that cannot be read
    /// (no such run, ambiguous prefix) yields an entry with <c>error</c> {code, message, data} and null lists
    /// instead of failing the call; invalid parameters (key, range, buckets, maxPoints, too many ids) still fail it.
    /// </summary>
    [JsonRpcMethod(RpcMethods.MetricsHistoryMany, UseSingleObjectParameterDeserialization = true)]
    Task<MetricHistoryManyResult> HistoryManyAsync(MetricHistoryManyParams request, CancellationToken cancellationToken);

    /// <summary>The run's metric keys with their digests.</summary>
    [JsonRpcMethod(RpcMethods.MetricsKeys, UseSingleObjectParameterDeserialization = true)]
    Task<IReadOnlyList<MetricSummaryDto>> KeysAsync(RunIdParams request, CancellationToken cancellationToken);

    /// <summary>A key's latest value across the most recent runs that logged it, the best one, and a sparkline (for hovers).</summary>
    [JsonRpcMethod(RpcMethods.MetricsLatest, UseSingleObjectParameterDeserialization = true)]
    Task<MetricLatestResult> LatestAsync(MetricLatestParams request, CancellationToken cancellationToken);
}
#pragma warning restore StreamJsonRpc0008
