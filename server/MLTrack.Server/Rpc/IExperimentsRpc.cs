using MLTrack.Server.Rpc.Dto;
using StreamJsonRpc;

namespace MLTrack.Server.Rpc;

/// <summary>Experiments.</summary>
// Only SystemTextJsonFormatter is used, so no PolyType shape is needed (StreamJsonRpc0008).
#pragma warning disable StreamJsonRpc0008
[JsonRpcContract]
public partial interface IExperimentsRpc
{
    /// <summary>Experiments by name, each with its active run count.</summary>
    [JsonRpcMethod(RpcMethods.ExperimentsList, UseSingleObjectParameterDeserialization = true)]
    Task<IReadOnlyList<ExperimentInfo>> ListAsync(ExperimentsListParams? request = null, CancellationToken cancellationToken = default);
}
#pragma warning restore StreamJsonRpc0008
