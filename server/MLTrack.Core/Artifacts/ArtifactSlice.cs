namespace MLTrack.Core.Artifacts;

/// <summary>Part of an artifact's bytes: <see cref="Data"/> starts at <see cref="Offset"/>; Truncated when more follows.</summary>
public sealed record ArtifactSlice(string Path, long Size, long Offset, byte[] Data, bool Truncated);
