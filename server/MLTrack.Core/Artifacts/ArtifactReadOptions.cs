namespace MLTrack.Core.Artifacts;

/// <summary>
/// Which bytes of an artifact <see cref="IArtifactStore.OpenReadAsync"/> opens: from <see cref="Offset"/>, at most
/// <see cref="MaxBytes"/> (null: to the end). <see cref="KnownSha256"/> is the hash the tracking store recorded for it:
/// a store with a local cache serves a cached copy of exactly that content without asking the remote store.
/// </summary>
public sealed record ArtifactReadOptions
{
    public static ArtifactReadOptions Whole { get; } = new();

    public long Offset { get; init; }
    public long? MaxBytes { get; init; }
    public string? KnownSha256 { get; init; }
}
