namespace MLTrack.Core.Artifacts.S3;

/// <summary>
/// Keeps run artifacts in S3 under <c>&lt;prefix&gt;/&lt;run_id&gt;/&lt;path&gt;</c> (the bucket must exist). Uploads record the
/// content sha256 as object metadata and are checked against the hash the store recorded; downloads are checked
/// against the object's recorded sha256 before they replace the local file.
/// </summary>
public sealed class S3ArtifactMirror(S3ModelStorage storage) : IArtifactMirror, IDisposable
{
    public bool IsEnabled => true;

    public S3ModelStorage Storage { get; } = storage;

    /// <summary>The key (below the prefix) of a run's artifact.</summary>
    public static string Key(string runId, string relativePath) => runId + "/" + relativePath.Replace('\\', '/').TrimStart('/');

    public async Task UploadAsync(string runId, string relativePath, ArtifactFolder folder, string sha256, CancellationToken cancellationToken = default)
    {
        var key = Key(runId, relativePath);
        // Every open goes through the folder: a file reached through a symbolic link is refused before any byte is sent.
        var stored = await Storage.UploadFromAsync(() => folder.OpenRead(relativePath), key, cancellationToken).ConfigureAwait(false);
        if (!string.Equals(stored.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelIntegrityException(
                $"Artifact '{relativePath}' of run '{runId}' changed while it was uploaded to S3 (sha256 {stored.Sha256}, recorded {sha256}).",
                Storage.Endpoint, Storage.Bucket, Storage.ObjectKey(key), "Sha256Mismatch", sha256, stored.Sha256);
    }

    public async Task<bool> TryRestoreAsync(string runId, string relativePath, ArtifactFolder folder, CancellationToken cancellationToken = default)
    {
        // A new file in the folder (never written through a link), moved into place only once its sha256 checked out.
        await using var pending = folder.Create(relativePath);
        try
        {
            await Storage.DownloadToStreamAsync(Key(runId, relativePath), pending.Stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ModelStorageException e) when (e.StatusCode == 404 || e.ErrorCode is "NoSuchKey" or "NotFound")
        {
            return false;
        }
        pending.Commit();
        return true;
    }

    public void Dispose() => Storage.Dispose();
}
