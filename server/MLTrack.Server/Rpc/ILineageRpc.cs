using MLTrack.Server.Rpc.Dto;
using StreamJsonRpc;

namespace MLTrack.Server.Rpc;

/// <summary>Which runs and files feed a run, and what a run or file feeds.</summary>
// Only SystemTextJsonFormatter is used, so no PolyType shape is needed (StreamJsonRpc0008).
#pragma warning disable StreamJsonRpc0008
[JsonRpcContract]
public partial interface ILineageRpc
{
    /// <summary>The lineage graph around a run or a file.</summary>
    [JsonRpcMethod(RpcMethods.LineageGraph, UseSingleObjectParameterDeserialization = true)]
    Task<LineageGraphDto> GraphAsync(LineageParams request, CancellationToken cancellationToken);
}
#pragma warning restore StreamJsonRpc0008
