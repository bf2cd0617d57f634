using System.Security.Cryptography;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Artifacts;

/// <summary>
/// A run's artifact folder on the local disk, <c>&lt;store.ArtifactRoot&gt;/&lt;run_id&gt;/</c>: writes or copies files
/// there and records each in the store with its size and SHA-256, so what the store lists is what is on disk.
/// Every file access goes through <see cref="Folder"/>, so no path (or symbolic link) reaches outside the folder.
/// With an enabled <see cref="IArtifactMirror"/> (e.g. S3) the folder is a write-through cache: recorded artifacts
/// are also uploaded, and reading an artifact whose local file is missing restores it from the mirror first.
/// </summary>
public sealed class RunArtifacts(ITrackingStore store, string runId, IArtifactMirror? mirror = null)
{
    private readonly IArtifactMirror _mirror = mirror ?? IArtifactMirror.None;

    public string RunId { get; } = runId;

    /// <summary>The run's artifact folder (not created until something is written).</summary>
    public ArtifactFolder Folder { get; } = ArtifactFolder.ForRun(store.ArtifactRoot, runId);

    /// <summary>The local file behind an artifact path (nothing is created): <see cref="ArtifactFolder.Resolve"/>.</summary>
    /// <exception cref="ArtifactPathException">The path is absolute, climbs out of the run's folder or goes through a symbolic link.</exception>
    public string GetLocalPath(string relativePath) => Folder.Resolve(relativePath);

    /// <summary>The local file behind an artifact path such as <c>logs/output.log</c>, for a writer that opens it itself; its folder is created.</summary>
    /// <exception cref="ArtifactPathException">The path is absolute, climbs out of the run's folder or goes through a symbolic link.</exception>
    public string PrepareFile(string relativePath) => Folder.PrepareFile(relativePath);

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) as the artifact and records it.</summary>
    public ArtifactInfo WriteText(string relativePath, string text)
    {
        Folder.WriteAllText(relativePath, text);
        return Record(relativePath);
    }

    /// <summary>Copies a local file in as the artifact and records it.</summary>
    public ArtifactInfo CopyFrom(string sourceFile, string relativePath)
    {
        Folder.CopyIn(sourceFile, relativePath);
        return Record(relativePath);
    }

    /// <summary>Hashes the artifact's file as it is now and records (or re-records) it in the store.</summary>
    /// <exception cref="ArtifactPathException">The path is bad or goes through a symbolic link.</exception>
    public ArtifactInfo Record(string relativePath)
    {
        string hash;
        long size;
        using (var stream = Folder.OpenRead(relativePath))
        {
            hash = Convert.ToHexStringLower(SHA256.HashData(stream));
            size = stream.Length;
        }
        var info = new ArtifactInfo(Folder.Normalize(relativePath), size, hash);
        store.RecordArtifact(RunId, info);
        if (_mirror.IsEnabled) _mirror.UploadAsync(RunId, info.Path, Folder, hash).GetAwaiter().GetResult();
        return info;
    }

    /// <summary>
    /// Up to <paramref name="maxBytes"/> bytes of an artifact from <paramref name="offset"/>, for previews and log views.
    /// Throws <see cref="FileNotFoundException"/> when the artifact has no file.
    /// </summary>
    /// <exception cref="ArtifactPathException">The path is bad or goes through a symbolic link.</exception>
    public ArtifactSlice Read(string relativePath, long offset, int maxBytes)
    {
        if (offset < 0) throw new ArgumentOutOfRangeException(nameof(offset), offset, "Offset must not be negative.");
        if (maxBytes < 1) throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "maxBytes must be at least 1.");
        var path = Folder.Normalize(relativePath);
        if (!File.Exists(Folder.Resolve(path)) && _mirror.IsEnabled) _mirror.TryRestoreAsync(RunId, path, Folder).GetAwaiter().GetResult();
        FileStream stream;
        try
        {
            stream = Folder.OpenRead(path);
        }
        catch (FileNotFoundException)
        {
            throw new FileNotFoundException($"Run '{RunId}' has no artifact '{relativePath}'.", relativePath);
        }
        using (stream)
        {
            long size = stream.Length;
            stream.Position = Math.Min(offset, size);
            var buffer = new byte[(int)Math.Min(maxBytes, size - stream.Position)];
            int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return new ArtifactSlice(path, size, stream.Position - read, buffer.AsSpan(0, read).ToArray(), stream.Position < size);
        }
    }
}
