namespace MLTrack.Core.Artifacts.S3;

/// <summary>
/// An object written or read by <see cref="S3ModelStorage"/>. <see cref="Key"/> is the caller's key (without the
/// storage prefix); <see cref="VersionId"/> is null when the bucket keeps no versions (or the server has none).
/// </summary>
public sealed record StoredModelObject(string Key, string? VersionId, long Size, string Sha256);
