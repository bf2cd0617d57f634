using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Rpc;

/// <summary>initialize / shutdown.</summary>
public sealed class ServerRpc(RpcSession session) : IServerRpc
{
    public Task<InitializeResult> InitializeAsync(InitializeParams? request = null, CancellationToken cancellationToken = default) =>
        session.InitializeAsync(request, cancellationToken);

    public Task ShutdownAsync(CancellationToken cancellationToken = default) => session.ShutdownAsync();
}
