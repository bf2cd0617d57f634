using MLTrack.Server.Rpc.Dto;
using StreamJsonRpc;

namespace MLTrack.Server.Rpc;

/// <summary>
/// Run activity over time, aggregated by the store in SQL over local-time periods (never every run shipped to the
/// client). A range with from &gt; to is refused (InvalidParameterValue, naming both); an empty one answers empty.
/// </summary>
#pragma warning disable StreamJsonRpc0008
[JsonRpcContract]
public partial interface IAnalyticsRpc
{
    /// <summary>Runs started/finished/failed, compute hours, distinct experiments and users per period, and a metric's best per period.</summary>
    [JsonRpcMethod(RpcMethods.AnalyticsTimeSeries, UseSingleObjectParameterDeserialization = true)]
    Task<TimeSeriesResult> TimeSeriesAsync(TimeSeriesParams? request = null, CancellationToken cancellationToken = default);

    /// <summary>Every local day of the window (default: the last 52 weeks) with runs, failures, experiments; coverage and streaks.</summary>
    [JsonRpcMethod(RpcMethods.AnalyticsHeatmap, UseSingleObjectParameterDeserialization = true)]
    Task<HeatmapResult> HeatmapAsync(HeatmapParams? request = null, CancellationToken cancellationToken = default);

    /// <summary>Users and metric keys the pickers offer.</summary>
    [JsonRpcMethod(RpcMethods.AnalyticsFacets, UseSingleObjectParameterDeserialization = true)]
    Task<AnalyticsFacetsResult> FacetsAsync(CancellationToken cancellationToken = default);

    /// <summary>Per deployment: traffic, latency percentiles, error rate and cost per period; health of READY ones (default window 24h).</summary>
    [JsonRpcMethod(RpcMethods.AnalyticsProduction, UseSingleObjectParameterDeserialization = true)]
    Task<ProductionResult> ProductionAsync(ProductionParams? request = null, CancellationToken cancellationToken = default);
}
#pragma warning restore StreamJsonRpc0008
