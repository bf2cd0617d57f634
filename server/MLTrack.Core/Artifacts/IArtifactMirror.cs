using MLTrack.Core.Artifacts.S3;

namespace MLTrack.Core.Artifacts;

/// <summary>
/// A durable copy of run artifacts behind the local folder <c>&lt;store.ArtifactRoot&gt;/&lt;run_id&gt;/</c>, which then
/// acts as a write-through cache: every recorded artifact is also uploaded, and a read of an artifact whose local
/// file is missing restores it first. <see cref="None"/> (the default) keeps artifacts on the local disk only.
/// </summary>
public interface IArtifactMirror
{
    /// <summary>False for <see cref="None"/>: callers skip mirroring entirely.</summary>
    bool IsEnabled { get; }

    /// <summary>
    /// Uploads artifact <paramref name="relativePath"/> of run <paramref name="runId"/> from its <paramref name="folder"/>,
    /// checking its sha256. The file is read through the folder: one reached through a symbolic link is refused
    /// (<see cref="ArtifactPathException"/>) and nothing is uploaded.
    /// </summary>
    Task UploadAsync(string runId, string relativePath, ArtifactFolder folder, string sha256, CancellationToken cancellationToken = default);

    /// <summary>
    /// Downloads the artifact into its <paramref name="folder"/> (written as a new file, never through a symbolic link);
    /// false when the mirror does not hold it.
    /// </summary>
    Task<bool> TryRestoreAsync(string runId, string relativePath, ArtifactFolder folder, CancellationToken cancellationToken = default);

    /// <summary>The mirror that does nothing.</summary>
    public static IArtifactMirror None { get; } = new NoArtifactMirror();

    /// <summary>
    /// The mirror for an <c>--artifacts</c> value: null, empty or a local path gives <see cref="None"/>; an
    /// <c>s3://bucket/prefix</c> URI an <see cref="S3ArtifactMirror"/> configured from the AWS environment variables.
    /// </summary>
    public static IArtifactMirror FromUri(string? uri, Func<string, string?>? environment = null) =>
        string.IsNullOrWhiteSpace(uri) || !uri.Trim().StartsWith("s3://", StringComparison.OrdinalIgnoreCase)
            ? None
            : new S3ArtifactMirror(new S3ModelStorage(S3StorageOptions.FromUri(uri.Trim()), environment));

    private sealed class NoArtifactMirror : IArtifactMirror
    {
        public bool IsEnabled => false;
        public Task UploadAsync(string runId, string relativePath, ArtifactFolder folder, string sha256, CancellationToken cancellationToken = default) => Task.CompletedTask;
        public Task<bool> TryRestoreAsync(string runId, string relativePath, ArtifactFolder folder, CancellationToken cancellationToken = default) => Task.FromResult(false);
    }
}
