namespace MLTrack.Core.Artifacts.S3;

/// <summary>
/// The versions of a key. When the server cannot list versions (<see cref="VersionsSupported"/> false, e.g. s3rver),
/// <see cref="Versions"/> holds only the current object, if any, with a null VersionId, and
/// <see cref="UnsupportedReason"/> says what the server answered.
/// </summary>
public sealed record ModelVersionListing(
    string Key, bool VersionsSupported, IReadOnlyList<ModelObjectVersion> Versions, string? UnsupportedReason = null);
