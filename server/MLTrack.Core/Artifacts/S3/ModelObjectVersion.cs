namespace MLTrack.Core.Artifacts.S3;

/// <summary>One version of a key; VersionId null when the server keeps no versions. Newest first in listings.</summary>
public sealed record ModelObjectVersion(
    string Key, string? VersionId, bool IsLatest, bool IsDeleteMarker, long Size, DateTimeOffset? LastModified, string? ETag);
