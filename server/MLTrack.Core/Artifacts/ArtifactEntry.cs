namespace MLTrack.Core.Artifacts;

/// <summary>
/// One direct child of an artifact folder, as MLflow lists it: <see cref="Path"/> from the run's artifact root ('/'
/// separators), a folder or a file, and a file's size (null for a folder).
/// </summary>
public sealed record ArtifactEntry(string Path, bool IsDir, long? FileSize)
{
    /// <summary>The last segment of <see cref="Path"/>.</summary>
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];
}
