using MLTrack.Core.Storage;

namespace MLTrack.Core.Artifacts;

/// <summary>
/// The artifact store could not do what was asked: S3 unreachable, a refusal (credentials, missing bucket), or
/// content that fails its integrity check. The message names the endpoint and what was being done; nothing was
/// recorded for the artifact. A <see cref="StoreErrorCode.StoreUnavailable"/> store error, so the REST API answers
/// 503 TEMPORARILY_UNAVAILABLE and the RPC surface its store-unavailable error, with this message.
/// </summary>
public sealed class ArtifactStoreException(string message, string endpoint, Exception? inner = null)
    : StoreException(StoreErrorCode.StoreUnavailable, message, inner)
{
    /// <summary>The endpoint that failed, e.g. <c>http://127.0.0.1:9000</c>.</summary>
    public string Endpoint { get; } = endpoint;
}
