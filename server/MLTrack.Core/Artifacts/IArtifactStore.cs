namespace MLTrack.Core.Artifacts;

/// <summary>
/// Where run artifacts' bytes live: <c>&lt;location&gt;/&lt;run_id&gt;/&lt;path&gt;</c>. Two implementations held to one
/// contract: <see cref="Local.LocalArtifactStore"/> (a folder, the embedded default) and
/// <see cref="S3.S3ArtifactStore"/> (an S3 bucket and prefix, with a local folder as a cache only), opened from a URI by
/// <see cref="ArtifactStoreFactory"/>. The records of artifacts (path, size, sha256) are the tracking store's; this
/// holds only bytes.
/// <para>
/// Paths are relative, '/'-separated, without '.' or '..' segments (<see cref="ArtifactPathException"/> otherwise);
/// a missing file is a <see cref="FileNotFoundException"/>; a remote store that fails is an
/// <see cref="ArtifactStoreException"/> naming its endpoint. Writes are atomic: a reader sees the previous file (or
/// none) until the new one is complete, never a part.
/// </para>
/// </summary>
public interface IArtifactStore : IDisposable
{
    /// <summary>The store as a URI: <c>file:///absolute/folder</c> or <c>s3://bucket/prefix</c>.</summary>
    string Location { get; }

    /// <summary>The run's artifact location, <see cref="Location"/>/<paramref name="runId"/>: the run's artifact_uri.</summary>
    string RunUri(string runId);

    /// <summary>Stores the rest of <paramref name="content"/> as the artifact, replacing any previous one as a whole; returns its normal path, size and sha256.</summary>
    Task<ArtifactInfo> WriteAsync(string runId, string path, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Opens the artifact's bytes (all of them, or the range <paramref name="options"/> asks for).</summary>
    /// <exception cref="FileNotFoundException">No such file (a folder is not one).</exception>
    Task<OpenedArtifact> OpenReadAsync(string runId, string path, ArtifactReadOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The direct children of <paramref name="folder"/> ("" for the run's root), ordered by path: folders and files
    /// with their sizes, paths from the run's root. Empty when the folder does not exist or is a file.
    /// </summary>
    Task<IReadOnlyList<ArtifactEntry>> ListAsync(string runId, string folder, CancellationToken cancellationToken = default);

    /// <summary>True when the artifact is a file of the run.</summary>
    Task<bool> ExistsAsync(string runId, string path, CancellationToken cancellationToken = default);

    /// <summary>Deletes every artifact of the run (nothing when it has none).</summary>
    Task DeleteRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A local path holding the artifact — a file, or a folder with every file below <paramref name="path"/> — for code
    /// that needs a real file (loading a model). Keeps the file names. Must not be written to.
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither a file nor a folder of the run.</exception>
    /// <exception cref="ArtifactPathException">The local copy would go through a symbolic link.</exception>
    Task<string> MaterializeAsync(string runId, string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// The run's local folder for files written in place while they grow (the launcher's live log): readers of this
    /// store see them at once; <see cref="StoreLocalFileAsync"/> makes one durable. For a local store it is the run's
    /// artifact folder itself; for S3 a staging folder in the cache.
    /// </summary>
    ArtifactFolder LocalFolder(string runId);

    /// <summary>Stores the file <see cref="LocalFolder"/> holds at <paramref name="path"/> as it is now; returns its path, size and sha256.</summary>
    /// <exception cref="FileNotFoundException">There is no such local file.</exception>
    Task<ArtifactInfo> StoreLocalFileAsync(string runId, string path, CancellationToken cancellationToken = default);

    /// <summary>Deletes local temporary files that writers left when their process died; returns how many.</summary>
    int RemoveAbandonedTemps(CancellationToken cancellationToken = default);

    /// <summary>Checks that the store can be reached (for health checks).</summary>
    /// <exception cref="ArtifactStoreException">It cannot.</exception>
    Task CheckAsync(CancellationToken cancellationToken = default);
}
