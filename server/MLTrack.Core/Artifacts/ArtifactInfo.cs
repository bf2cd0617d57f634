namespace MLTrack.Core.Artifacts;

/// <summary>A file stored with a run; Path is relative to the run's artifact root, with '/' separators.</summary>
public sealed record ArtifactInfo(string Path, long Size, string Sha256);
