namespace MLTrack.Core.Artifacts.Local;

/// <summary>
/// Artifacts as files in a local folder, <c>&lt;root&gt;/&lt;run_id&gt;/&lt;path&gt;</c> — the embedded default, the folder
/// beside the SQLite store. Every access goes through the run's <see cref="ArtifactFolder"/>, so its rules hold: no
/// path leaves the run's folder and no symbolic link there is ever followed; writes go to a temporary file renamed
/// over the target.
/// </summary>
public sealed class LocalArtifactStore : IArtifactStore
{
    private const string RunFolder = "the run's artifact folder";

    /// <param name="root">The folder holding one folder per run; created when the first artifact is written.</param>
    public LocalArtifactStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
    }

    /// <summary>The absolute folder holding the run folders.</summary>
    public string Root { get; }

    public string Location => new Uri(Root).AbsoluteUri;

    public string RunUri(string runId) => new Uri(Path.Combine(Root, runId)).AbsoluteUri;

    public ArtifactFolder LocalFolder(string runId) => ArtifactFolder.ForRun(Root, runId);

    public async Task<ArtifactInfo> WriteAsync(string runId, string path, Stream content, CancellationToken cancellationToken = default)
    {
        var folder = LocalFolder(runId);
        var rel = folder.Normalize(path);
        PendingArtifactFile pending;
        try
        {
            pending = folder.Create(rel);
        }
        catch (IOException e) when (e is not FileNotFoundException)
        {
            throw new ArtifactPathException($"Cannot write artifact '{path}' of run '{runId}': a part of its folder path is an existing file.", path);
        }
        await using (pending)
        {
            var (size, sha) = await ArtifactHashing.CopyAsync(content, pending.Stream, cancellationToken).ConfigureAwait(false);
            pending.Commit();
            return new ArtifactInfo(rel, size, sha);
        }
    }

    public Task<OpenedArtifact> OpenReadAsync(string runId, string path, ArtifactReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var folder = LocalFolder(runId);
        var rel = folder.Normalize(path);
        FileStream stream;
        try
        {
            stream = folder.OpenRead(rel);
        }
        catch (FileNotFoundException)
        {
            throw NotFound(runId, path);
        }
        return Task.FromResult(Slice(rel, stream, options ?? ArtifactReadOptions.Whole));
    }

    /// <summary>The requested range of an open file, its length fixed at what the file holds now.</summary>
    internal static OpenedArtifact Slice(string rel, FileStream stream, ArtifactReadOptions options)
    {
        if (options.Offset < 0) throw new ArgumentOutOfRangeException(nameof(options), options.Offset, "Offset must not be negative.");
        try
        {
            long size = stream.Length;
            long offset = Math.Min(options.Offset, size);
            long length = Math.Min(options.MaxBytes ?? long.MaxValue, size - offset);
            stream.Position = offset;
            return new OpenedArtifact(rel, new BoundedReadStream(stream, length), size, offset, length);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public Task<IReadOnlyList<ArtifactEntry>> ListAsync(string runId, string folder, CancellationToken cancellationToken = default)
    {
        var run = LocalFolder(runId);
        var rel = ArtifactPathRules.Normalize(folder, allowEmpty: true, RunFolder);
        var entries = run.List(rel)
            .Select(e => new ArtifactEntry(rel.Length == 0 ? e.Name : rel + "/" + e.Name, e is DirectoryInfo, e is FileInfo f ? f.Length : null))
            .OrderBy(e => e.Path, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult<IReadOnlyList<ArtifactEntry>>(entries);
    }

    public Task<bool> ExistsAsync(string runId, string path, CancellationToken cancellationToken = default) =>
        Task.FromResult(LocalFolder(runId).IsFile(path));

    public Task DeleteRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        LocalFolder(runId).DeleteAll();
        return Task.CompletedTask;
    }

    /// <summary>The artifact's own file or folder: nothing is copied. A folder holding a symbolic link is refused.</summary>
    public Task<string> MaterializeAsync(string runId, string path, CancellationToken cancellationToken = default)
    {
        var folder = LocalFolder(runId);
        var local = folder.Resolve(path);
        if (Directory.Exists(local))
        {
            folder.Files(path, refuseLinks: true); // the whole folder is used: a link anywhere in it is refused
            return Task.FromResult(local);
        }
        if (File.Exists(local)) return Task.FromResult(local);
        throw NotFound(runId, path);
    }

    /// <summary>The file is already where it belongs: only hashed.</summary>
    public async Task<ArtifactInfo> StoreLocalFileAsync(string runId, string path, CancellationToken cancellationToken = default)
    {
        var folder = LocalFolder(runId);
        var rel = folder.Normalize(path);
        FileStream stream;
        try
        {
            stream = folder.OpenRead(rel);
        }
        catch (FileNotFoundException)
        {
            throw NotFound(runId, path);
        }
        await using (stream)
        {
            var (size, sha) = await ArtifactHashing.HashAsync(stream, cancellationToken).ConfigureAwait(false);
            return new ArtifactInfo(rel, size, sha);
        }
    }

    public int RemoveAbandonedTemps(CancellationToken cancellationToken = default) =>
        ArtifactFolder.RemoveAbandonedUploads(Root, cancellationToken);

    public Task CheckAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public void Dispose()
    {
    }

    internal static FileNotFoundException NotFound(string runId, string path) => new($"Run '{runId}' has no artifact '{path}'.", path);

    public override string ToString() => Location;
}
