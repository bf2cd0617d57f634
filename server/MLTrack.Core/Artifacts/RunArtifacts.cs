using System.Text;
using MLTrack.Core.Artifacts.Local;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Artifacts;

/// <summary>
/// One run's artifacts: bytes in the <see cref="IArtifactStore"/>, records (path, size, SHA-256) in the tracking store.
/// Everything written here is stored first and recorded after, so a recorded artifact always has its bytes; a store
/// that fails (S3 unreachable) records nothing and leaves the run's other metadata as it was.
/// </summary>
public sealed class RunArtifacts
{
    private readonly ITrackingStore _store;

    /// <summary>The run's artifacts in <paramref name="artifacts"/>.</summary>
    public RunArtifacts(ITrackingStore store, IArtifactStore artifacts, string runId)
    {
        _store = store;
        Artifacts = artifacts;
        RunId = runId;
        Folder = artifacts.LocalFolder(runId);
    }

    /// <summary>The run's artifacts in the tracking store's local folder (<see cref="ITrackingStore.ArtifactRoot"/>), the embedded default.</summary>
    public RunArtifacts(ITrackingStore store, string runId) : this(store, new LocalArtifactStore(store.ArtifactRoot), runId)
    {
    }

    public string RunId { get; }

    public IArtifactStore Artifacts { get; }

    /// <summary>
    /// The run's local folder for files written in place (not created until something is written): the artifact folder
    /// itself for a local store, the staging folder of the cache for S3 (<see cref="IArtifactStore.LocalFolder"/>).
    /// </summary>
    public ArtifactFolder Folder { get; }

    /// <summary>The local file behind an artifact path in <see cref="Folder"/> (nothing is created): <see cref="ArtifactFolder.Resolve"/>.</summary>
    /// <exception cref="ArtifactPathException">The path is absolute, climbs out of the run's folder or goes through a symbolic link.</exception>
    public string GetLocalPath(string relativePath) => Folder.Resolve(relativePath);

    /// <summary>
    /// The local file for an artifact such as <c>logs/output.log</c> that a writer fills in place (its folder is
    /// created); readers of the store see it as it grows, and <see cref="Record"/> stores it when complete.
    /// </summary>
    /// <exception cref="ArtifactPathException">The path is absolute, climbs out of the run's folder or goes through a symbolic link.</exception>
    public string PrepareFile(string relativePath) => Folder.PrepareFile(relativePath);

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) as the artifact and records it.</summary>
    public ArtifactInfo WriteText(string relativePath, string text) => WriteTextAsync(relativePath, text).GetAwaiter().GetResult();

    /// <inheritdoc cref="WriteText"/>
    public Task<ArtifactInfo> WriteTextAsync(string relativePath, string text, CancellationToken cancellationToken = default) =>
        WriteAsync(relativePath, new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false), cancellationToken);

    /// <summary>Copies a local file (a path outside any artifact folder) in as the artifact and records it.</summary>
    public ArtifactInfo CopyFrom(string sourceFile, string relativePath)
    {
        using var source = new FileStream(sourceFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        return WriteAsync(relativePath, source).GetAwaiter().GetResult();
    }

    /// <summary>Stores the rest of <paramref name="content"/> as the artifact, then records it.</summary>
    public async Task<ArtifactInfo> WriteAsync(string relativePath, Stream content, CancellationToken cancellationToken = default)
    {
        var info = await Artifacts.WriteAsync(RunId, relativePath, content, cancellationToken).ConfigureAwait(false);
        _store.RecordArtifact(RunId, info);
        return info;
    }

    /// <summary>Stores the file written in place at <paramref name="relativePath"/> (<see cref="PrepareFile"/>) as it is now and records (or re-records) it.</summary>
    /// <exception cref="ArtifactPathException">The path is bad or goes through a symbolic link.</exception>
    /// <exception cref="FileNotFoundException">There is no such local file.</exception>
    public ArtifactInfo Record(string relativePath) => RecordAsync(relativePath).GetAwaiter().GetResult();

    /// <inheritdoc cref="Record"/>
    public async Task<ArtifactInfo> RecordAsync(string relativePath, CancellationToken cancellationToken = default)
    {
        var info = await Artifacts.StoreLocalFileAsync(RunId, relativePath, cancellationToken).ConfigureAwait(false);
        _store.RecordArtifact(RunId, info);
        return info;
    }

    /// <summary>
    /// Up to <paramref name="maxBytes"/> bytes of an artifact from <paramref name="offset"/>, for previews and log views.
    /// Throws <see cref="FileNotFoundException"/> when the artifact has no file.
    /// </summary>
    /// <exception cref="ArtifactPathException">The path is bad or goes through a symbolic link.</exception>
    public ArtifactSlice Read(string relativePath, long offset, int maxBytes) => ReadAsync(relativePath, offset, maxBytes).GetAwaiter().GetResult();

    /// <inheritdoc cref="Read"/>
    public async Task<ArtifactSlice> ReadAsync(string relativePath, long offset, int maxBytes, CancellationToken cancellationToken = default)
    {
        if (offset < 0) throw new ArgumentOutOfRangeException(nameof(offset), offset, "Offset must not be negative.");
        if (maxBytes < 1) throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "maxBytes must be at least 1.");
        var options = new ArtifactReadOptions { Offset = offset, MaxBytes = maxBytes, KnownSha256 = RecordedSha256(relativePath) };
        await using var opened = await Artifacts.OpenReadAsync(RunId, relativePath, options, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[opened.Length];
        int read = await opened.Content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return new ArtifactSlice(opened.Path, opened.Size, opened.Offset, buffer.AsSpan(0, read).ToArray(), opened.Offset + read < opened.Size);
    }

    /// <summary>The artifact's text (UTF-8), or null when the run has no such file.</summary>
    /// <exception cref="ArtifactPathException">The path is bad or goes through a symbolic link.</exception>
    public async Task<string?> TryReadTextAsync(string relativePath, CancellationToken cancellationToken = default)
    {
        try
        {
            var options = new ArtifactReadOptions { KnownSha256 = RecordedSha256(relativePath) };
            await using var opened = await Artifacts.OpenReadAsync(RunId, relativePath, options, cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(opened.Content, Encoding.UTF8);
            return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A local file or folder holding the artifact, for code that needs a real one (<see cref="IArtifactStore.MaterializeAsync"/>).</summary>
    public Task<string> MaterializeAsync(string relativePath, CancellationToken cancellationToken = default) =>
        Artifacts.MaterializeAsync(RunId, relativePath, cancellationToken);

    /// <summary>The sha256 the tracking store recorded for the path (lets a cache answer without the remote store); null when unrecorded.</summary>
    private string? RecordedSha256(string relativePath)
    {
        string normal;
        try
        {
            normal = Folder.Normalize(relativePath);
        }
        catch (ArtifactPathException)
        {
            return null; // the store refuses the path itself, with its message
        }
        return _store.ListArtifacts(RunId).FirstOrDefault(a => a.Path == normal)?.Sha256;
    }
}
