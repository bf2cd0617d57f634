namespace MLTrack.Core.Artifacts;

/// <summary>
/// A path refused by <see cref="ArtifactFolder"/>: not a plain relative path, a reserved name, or one that goes through
/// a symbolic link. The message names the path as the caller gave it, never a file system location.
/// </summary>
public sealed class ArtifactPathException(string message, string path) : ArgumentException(message)
{
    /// <summary>The relative path that was refused, as given.</summary>
    public string ArtifactPath { get; } = path;
}
