using MLTrack.Server.Rpc.Dto;
using StreamJsonRpc;

namespace MLTrack.Server.Rpc;

/// <summary>Connection lifecycle: open a store, close down.</summary>
// Only SystemTextJsonFormatter is used, so no PolyType shape is needed (StreamJsonRpc0008).
#pragma warning disable StreamJsonRpc0008
[JsonRpcContract]
public partial interface IServerRpc
{
    /// <summary>Opens the workspace's store (or the user-level one), runs crash recovery, starts the tracking server. Call first.</summary>
    [JsonRpcMethod(RpcMethods.Initialize, UseSingleObjectParameterDeserialization = true)]
    Task<InitializeResult> InitializeAsync(InitializeParams? request = null, CancellationToken cancellationToken = default);

    /// <summary>Stops runs launched by this backend (recorded KILLED), closes the store; the stdio process then exits.</summary>
    [JsonRpcMethod(RpcMethods.Shutdown)]
    Task ShutdownAsync(CancellationToken cancellationToken = default);
}
#pragma warning restore StreamJsonRpc0008
