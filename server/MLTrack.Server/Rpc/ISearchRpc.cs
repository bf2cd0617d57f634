using MLTrack.Server.Rpc.Dto;
using StreamJsonRpc;

namespace MLTrack.Server.Rpc;

/// <summary>Full-text search across runs, experiments, params, tags, metric names and artifacts.</summary>
// Only SystemTextJsonFormatter is used, so no PolyType shape is needed (StreamJsonRpc0008).
#pragma warning disable StreamJsonRpc0008
[JsonRpcContract]
public partial interface ISearchRpc
{
    /// <summary>Ranked hits for what the user typed (prefix match per word, typo-tolerant fallback).</summary>
    [JsonRpcMethod(RpcMethods.SearchQuery, UseSingleObjectParameterDeserialization = true)]
    Task<SearchQueryResult> QueryAsync(SearchQueryParams request, CancellationToken cancellationToken);
}
#pragma warning restore StreamJsonRpc0008
