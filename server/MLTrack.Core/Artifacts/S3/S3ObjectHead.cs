namespace MLTrack.Core.Artifacts.S3;

/// <summary>What a HEAD of an object tells: its size, the sha256 recorded at upload (null when none) and its ETag.</summary>
public sealed record S3ObjectHead(long Size, string? Sha256, string? ETag);
