namespace MLTrack.Core.Artifacts.S3;

/// <summary>
/// Downloaded bytes do not hash to the sha256 recorded with the object (or given by the caller), or no sha256 is
/// recorded to check them against. The downloaded file is not left behind.
/// </summary>
public sealed class ModelIntegrityException(
    string message, string endpoint, string bucket, string key, string errorCode, string? expectedSha256, string actualSha256)
    : ModelStorageException(message, endpoint, bucket, errorCode, key: key)
{
    /// <summary>The sha256 the bytes should have had; null when the object has none recorded.</summary>
    public string? ExpectedSha256 { get; } = expectedSha256;

    /// <summary>The sha256 of the bytes received.</summary>
    public string ActualSha256 { get; } = actualSha256;
}
