namespace MLTrack.Core.Artifacts.S3;

/// <summary>An object found by a listing: its key relative to the listed folder, its size and ETag.</summary>
public sealed record S3ListedObject(string Name, long Size, string? ETag);
