using System.Security.Cryptography;
using System.Text;
using MLTrack.Core.Artifacts.Local;

namespace MLTrack.Core.Artifacts.S3;

/// <summary>
/// Run artifacts as S3 objects, <c>s3://bucket/prefix/&lt;run_id&gt;/&lt;path&gt;</c> (the bucket must exist), each with
/// its sha256 recorded as object metadata. S3 is the only store: the local folder is a cache (<see cref="S3ArtifactCache"/>)
/// that any replica may lose, so several servers over one bucket serve the same artifacts.
/// <list type="bullet">
/// <item>Writes stream to a locked temporary file in the cache while hashing, then upload it (in parts above the
/// multipart threshold); the object appears whole when the upload completes, and the file stays as the cached copy.</item>
/// <item>Reads serve a cached copy with the content's sha256 — the one the caller knows from the tracking store, with
/// no call to S3 at all, else the one a HEAD reports — and otherwise download it (checked against its sha256) into
/// the cache first. Ranges are served from the cached copy.</item>
/// <item>Listing is S3's '/'-delimited listing (plus this process's files still being written in place).</item>
/// </list>
/// Every S3 failure is an <see cref="ArtifactStoreException"/> naming the endpoint; nothing is recorded for an
/// artifact whose upload failed.
/// </summary>
public sealed class S3ArtifactStore : IArtifactStore
{
    private const string RunFolder = "the run's artifact folder";
    private readonly S3ArtifactCache _cache;

    /// <param name="storage">The bucket and prefix; owned (disposed) by this store.</param>
    /// <param name="cacheFolder">The local cache folder; created when first needed.</param>
    public S3ArtifactStore(S3ModelStorage storage, string cacheFolder)
    {
        Storage = storage;
        _cache = new S3ArtifactCache(cacheFolder);
    }

    public S3ModelStorage Storage { get; }

    /// <summary>The local cache folder.</summary>
    public string CacheFolder => _cache.Root;

    /// <summary>The S3 endpoint in use, as error messages name it.</summary>
    public string Endpoint => Storage.Endpoint;

    public string Location => Storage.Location.ToString();

    public string RunUri(string runId)
    {
        ArtifactPathRules.CheckId(runId, RunFolder);
        return Location + "/" + runId;
    }

    public ArtifactFolder LocalFolder(string runId) => _cache.Staging(runId);

    public async Task<ArtifactInfo> WriteAsync(string runId, string path, Stream content, CancellationToken cancellationToken = default)
    {
        var rel = Normalize(runId, path);
        var (stream, temp) = _cache.NewTemp();
        try
        {
            long size;
            string sha;
            await using (stream) // locked until uploaded: clean-up leaves it alone
            {
                (size, sha) = await ArtifactHashing.CopyAsync(content, stream, cancellationToken).ConfigureAwait(false);
                await Remote($"Cannot store artifact '{rel}' of run '{runId}'",
                    () => Storage.UploadFromAsync(() => new HeldFileView(stream), Key(runId, rel), size, sha, cancellationToken)).ConfigureAwait(false);
            }
            try
            {
                _cache.Adopt(temp, sha, FileName(rel)); // unlocked first: readers of the cached copy must not meet the writer's lock
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArtifactPathException)
            {
                // Stored in S3; the local copy only would have been a cache.
            }
            return new ArtifactInfo(rel, size, sha);
        }
        finally
        {
            ArtifactFolder.TryDelete(temp);
        }
    }

    public async Task<OpenedArtifact> OpenReadAsync(string runId, string path, ArtifactReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var rel = Normalize(runId, path);
        options ??= ArtifactReadOptions.Whole;
        if (TryOpenStaged(runId, rel) is { } staged) return LocalArtifactStore.Slice(rel, staged, options);
        var cached = await CachedAsync(runId, rel, options.KnownSha256, head: null, cancellationToken).ConfigureAwait(false);
        return LocalArtifactStore.Slice(rel, _cache.Objects.OpenRead(cached), options);
    }

    public async Task<IReadOnlyList<ArtifactEntry>> ListAsync(string runId, string folder, CancellationToken cancellationToken = default)
    {
        ArtifactPathRules.CheckId(runId, RunFolder);
        var rel = ArtifactPathRules.Normalize(folder, allowEmpty: true, RunFolder);
        var listing = await Remote($"Cannot list artifacts '{rel}' of run '{runId}'",
            () => Storage.ListFolderAsync(runId + "/" + (rel.Length == 0 ? "" : rel + "/"), cancellationToken)).ConfigureAwait(false);
        string Join(string name) => rel.Length == 0 ? name : rel + "/" + name;
        var entries = new Dictionary<string, ArtifactEntry>(StringComparer.Ordinal);
        foreach (var dir in listing.Folders) entries[Join(dir)] = new ArtifactEntry(Join(dir), true, null);
        foreach (var file in listing.Files) entries.TryAdd(Join(file.Name), new ArtifactEntry(Join(file.Name), false, file.Size));
        var staging = _cache.Staging(runId);
        foreach (var local in staging.List(rel)) // files still being written in place here (a live log)
        {
            if (local is FileInfo f) entries.TryAdd(Join(f.Name), new ArtifactEntry(Join(f.Name), false, f.Length));
            else if (staging.Files(Join(local.Name)).Count > 0) entries.TryAdd(Join(local.Name), new ArtifactEntry(Join(local.Name), true, null)); // not a folder left empty by a stored file
        }
        return entries.Values.OrderBy(e => e.Path, StringComparer.Ordinal).ToList();
    }

    public async Task<bool> ExistsAsync(string runId, string path, CancellationToken cancellationToken = default)
    {
        var rel = Normalize(runId, path);
        if (_cache.Staging(runId).IsFile(rel)) return true;
        return await Head(runId, rel, cancellationToken).ConfigureAwait(false) is not null;
    }

    public async Task DeleteRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArtifactPathRules.CheckId(runId, RunFolder);
        await Remote($"Cannot delete the artifacts of run '{runId}'", () => Storage.DeleteAllUnderAsync(runId + "/", cancellationToken)).ConfigureAwait(false);
        _cache.Staging(runId).DeleteAll();
    }

    /// <summary>
    /// A file: its cached copy under its own file name. A folder: a tree in the cache holding a copy of every object
    /// below it, keyed by their names, sizes and ETags (so a changed folder gets a new tree).
    /// </summary>
    public async Task<string> MaterializeAsync(string runId, string path, CancellationToken cancellationToken = default)
    {
        var rel = Normalize(runId, path);
        var staging = _cache.Staging(runId);
        if (staging.IsFile(rel)) return staging.Resolve(rel);
        if (await Head(runId, rel, cancellationToken).ConfigureAwait(false) is { } head)
        {
            var cached = await CachedAsync(runId, rel, null, head, cancellationToken).ConfigureAwait(false);
            var name = FileName(rel);
            if (FileName(cached) != name) cached = _cache.CopyAs(cached, cached[..cached.IndexOf('/')], name);
            return _cache.Objects.Resolve(cached);
        }
        var files = await Remote($"Cannot list artifacts '{rel}' of run '{runId}'",
            () => Storage.ListAllAsync(Key(runId, rel) + "/", cancellationToken)).ConfigureAwait(false);
        if (files.Count == 0) throw LocalArtifactStore.NotFound(runId, path);

        var key = TreeKey(files);
        if (_cache.Trees.IsFolder(key)) return _cache.Trees.Resolve(key);
        var temp = _cache.NewTreeTemp();
        try
        {
            var tree = ArtifactFolder.At(temp, "the artifact cache");
            foreach (var file in files)
            {
                var cached = await CachedAsync(runId, rel + "/" + file.Name, null, null, cancellationToken).ConfigureAwait(false);
                await using var source = _cache.Objects.OpenRead(cached);
                tree.Write(file.Name, source);
            }
            return _cache.AdoptTree(temp, key);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Uploads the staged file, then moves it into the cache as the copy of what was stored.</summary>
    public async Task<ArtifactInfo> StoreLocalFileAsync(string runId, string path, CancellationToken cancellationToken = default)
    {
        var rel = Normalize(runId, path);
        var staging = _cache.Staging(runId);
        var local = TryOpenStaged(runId, rel) ?? throw LocalArtifactStore.NotFound(runId, path);
        await using (local)
        {
            var (size, sha) = await ArtifactHashing.HashAsync(local, cancellationToken).ConfigureAwait(false);
            await Remote($"Cannot store artifact '{rel}' of run '{runId}'",
                () => Storage.UploadFromAsync(() => new HeldFileView(local), Key(runId, rel), size, sha, cancellationToken)).ConfigureAwait(false);
            try
            {
                _cache.Adopt(staging.Resolve(rel), sha, FileName(rel));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArtifactPathException)
            {
                // Stored in S3; the local copy only would have been a cache.
            }
            return new ArtifactInfo(rel, size, sha);
        }
    }

    public int RemoveAbandonedTemps(CancellationToken cancellationToken = default) => _cache.RemoveAbandonedTemps(cancellationToken);

    public Task CheckAsync(CancellationToken cancellationToken = default) =>
        Remote($"The S3 artifact store {Location} cannot be used", () => Storage.ListFolderAsync("mltrack-health-check/", cancellationToken));

    public void Dispose() => Storage.Dispose();

    public override string ToString() => $"{Location} at {Endpoint}";

    /// <summary>The cached copy of the artifact (relative to the cache's objects folder), downloaded when there is none.</summary>
    private async Task<string> CachedAsync(string runId, string rel, string? knownSha256, S3ObjectHead? head, CancellationToken ct)
    {
        var name = FileName(rel);
        if (knownSha256 is not null && _cache.Find(knownSha256.ToLowerInvariant(), name) is { } known) return known;
        head ??= await Head(runId, rel, ct).ConfigureAwait(false) ?? throw LocalArtifactStore.NotFound(runId, rel);
        if (head.Sha256 is { } sha && _cache.Find(sha, name) is { } hit && new FileInfo(_cache.Objects.Resolve(hit)).Length == head.Size) return hit;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await DownloadAsync(runId, rel, name, ct).ConfigureAwait(false);
            }
            catch (ArtifactStoreException e) when (attempt < DownloadAttempts && e.InnerException is ModelStorageException { ErrorCode: "ClientError" or "Timeout" or "Sha256Mismatch" } or ModelStorageException { StatusCode: >= 500 })
            {
                // A body cut off or garbled mid-way (a dropped connection; a server that is not atomic while the object
                // is replaced, as s3rver): nothing was kept (the bytes are checked first); fetch it again shortly.
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct).ConfigureAwait(false);
            }
        }
    }

    private const int DownloadAttempts = 5;

    /// <summary>Downloads the object into the cache, checked against its recorded sha256; returns the copy's path relative to the cache's objects folder.</summary>
    private async Task<string> DownloadAsync(string runId, string rel, string name, CancellationToken ct)
    {
        var (stream, temp) = _cache.NewTemp();
        try
        {
            StoredModelObject got;
            await using (stream)
            {
                try
                {
                    // Checked against the sha256 recorded with the object; one stored by another tool has none and is taken as it is.
                    got = await Remote($"Cannot read artifact '{rel}' of run '{runId}'",
                        () => Storage.DownloadToStreamAsync(Key(runId, rel), stream, null, null, requireSha256: false, ct)).ConfigureAwait(false);
                }
                catch (ArtifactStoreException e) when (e.InnerException is ModelStorageException { StatusCode: 404 } or ModelStorageException { ErrorCode: "NoSuchKey" or "NotFound" })
                {
                    throw LocalArtifactStore.NotFound(runId, rel); // deleted since the HEAD
                }
                await stream.FlushAsync(ct).ConfigureAwait(false);
            }
            return _cache.Adopt(temp, got.Sha256, name); // unlocked first: readers of the cached copy must not meet the lock
        }
        finally
        {
            ArtifactFolder.TryDelete(temp);
        }
    }

    private Task<S3ObjectHead?> Head(string runId, string rel, CancellationToken ct) =>
        Remote($"Cannot read artifact '{rel}' of run '{runId}'", () => Storage.HeadAsync(Key(runId, rel), ct));

    private FileStream? TryOpenStaged(string runId, string rel)
    {
        var staging = _cache.Staging(runId);
        if (!staging.IsFile(rel)) return null;
        try
        {
            return staging.OpenRead(rel);
        }
        catch (FileNotFoundException)
        {
            return null; // stored and moved into the cache meanwhile
        }
    }

    /// <summary>Runs an S3 call; its failure becomes an <see cref="ArtifactStoreException"/> saying what could not be done, naming the endpoint.</summary>
    private static async Task<T> Remote<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ModelStorageException e)
        {
            throw new ArtifactStoreException($"{what}: {e.Message}", e.Endpoint, e);
        }
    }

    private static string TreeKey(IReadOnlyList<S3ListedObject> files)
    {
        var text = new StringBuilder();
        foreach (var f in files.OrderBy(f => f.Name, StringComparer.Ordinal)) text.Append(f.Name).Append('\0').Append(f.ETag).Append('\0').Append(f.Size).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string Normalize(string runId, string path)
    {
        ArtifactPathRules.CheckId(runId, RunFolder);
        return ArtifactPathRules.Normalize(path, allowEmpty: false, RunFolder);
    }

    private static string Key(string runId, string rel) => runId + "/" + rel;

    private static string FileName(string rel) => rel[(rel.LastIndexOf('/') + 1)..];
}
