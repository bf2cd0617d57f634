using MLTrack.Server.Rpc.Dto;
using StreamJsonRpc;

namespace MLTrack.Server.Rpc;

/// <summary>A run's artifact files: contents for previews, logs and diffs.</summary>
// Only SystemTextJsonFormatter is used, so no PolyType shape is needed (StreamJsonRpc0008).
#pragma warning disable StreamJsonRpc0008
[JsonRpcContract]
public partial interface IArtifactsRpc
{
    /// <summary>Up to maxBytes (default 1 MiB, at most 8 MiB) of an artifact from an offset; UTF-8 text, else base64.</summary>
    [JsonRpcMethod(RpcMethods.ArtifactsRead, UseSingleObjectParameterDeserialization = true)]
    Task<ArtifactContent> ReadAsync(ArtifactReadParams request, CancellationToken cancellationToken);
}
#pragma warning restore StreamJsonRpc0008
