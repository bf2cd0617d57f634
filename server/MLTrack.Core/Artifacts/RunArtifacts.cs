using System.Security.Cryptography;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Artifacts;

/// <summary>
/// A run's artifact folder on the local disk, <c>&lt;store.ArtifactRoot&gt;/&lt;run_id&gt;/</c>: writes or copies files
/// there and records each in the store with its size and SHA-256, so what the store lists is what is on disk.
/// With an enabled <see cref="IArtifactMirror"/> (e.g. S3) the folder is a write-through cache: recorded artifacts
/// are also uploaded, and reading an artifact whose local file is missing restores it from the mirror first.
/// </summary>
public sealed class RunArtifacts(ITrackingStore store, string runId, IArtifactMirror? mirror = null)
{
    private readonly IArtifactMirror _mirror = mirror ?? IArtifactMirror.None;

    public string RunId { get; } = runId;

    /// <summary>The run's artifact folder (not created until something is written).</summary>
    public string Directory { get; } = Path.GetFullPath(Path.Combine(store.ArtifactRoot, runId));

    /// <summary>The local file behind an artifact path such as <c>logs/output.log</c>; its folder is created.</summary>
    /// <exception cref="ArgumentException">The path is absolute or climbs out of the run's folder.</exception>
    public string PrepareFile(string relativePath)
    {
        var full = GetLocalPath(relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return full;
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) as the artifact and records it.</summary>
    public ArtifactInfo WriteText(string relativePath, string text)
    {
        File.WriteAllText(PrepareFile(relativePath), text);
        return Record(relativePath);
    }

    /// <summary>Copies a local file in as the artifact and records it.</summary>
    public ArtifactInfo CopyFrom(string sourceFile, string relativePath)
    {
        File.Copy(sourceFile, PrepareFile(relativePath), overwrite: true);
        return Record(relativePath);
    }

    /// <summary>Hashes the artifact's file as it is now and records (or re-records) it in the store.</summary>
    public ArtifactInfo Record(string relativePath)
    {
        var full = GetLocalPath(relativePath);
        string hash;
        long size;
        using (var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            hash = Convert.ToHexStringLower(SHA256.HashData(stream));
            size = stream.Length;
        }
        var info = new ArtifactInfo(Normalize(relativePath), size, hash);
        store.RecordArtifact(RunId, info);
        if (_mirror.IsEnabled) _mirror.UploadAsync(RunId, info.Path, full, hash).GetAwaiter().GetResult();
        return info;
    }

    /// <summary>
    /// Up to <paramref name="maxBytes"/> bytes of an artifact from <paramref name="offset"/>, for previews and log views.
    /// Throws <see cref="FileNotFoundException"/> when the artifact has no file.
    /// </summary>
    public ArtifactSlice Read(string relativePath, long offset, int maxBytes)
    {
        if (offset < 0) throw new ArgumentOutOfRangeException(nameof(offset), offset, "Offset must not be negative.");
        if (maxBytes < 1) throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "maxBytes must be at least 1.");
        var full = GetLocalPath(relativePath);
        if (!File.Exists(full) && _mirror.IsEnabled) _mirror.TryRestoreAsync(RunId, Normalize(relativePath), full).GetAwaiter().GetResult();
        if (!File.Exists(full)) throw new FileNotFoundException($"Run '{RunId}' has no artifact '{relativePath}'.", relativePath);
        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long size = stream.Length;
        stream.Position = Math.Min(offset, size);
        var buffer = new byte[(int)Math.Min(maxBytes, size - stream.Position)];
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return new ArtifactSlice(Normalize(relativePath), size, stream.Position - read, buffer.AsSpan(0, read).ToArray(), stream.Position < size);
    }

    /// <summary>The local file behind an artifact path (nothing is created).</summary>
    /// <exception cref="ArgumentException">The path is absolute or climbs out of the run's folder.</exception>
    public string GetLocalPath(string relativePath)
    {
        var normalized = Normalize(relativePath);
        var full = Path.GetFullPath(Path.Combine(Directory, normalized));
        if (!full.StartsWith(Directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Artifact path '{relativePath}' must stay inside the run's artifact folder.", nameof(relativePath));
        return full;
    }

    private static string Normalize(string relativePath)
    {
        var p = relativePath.Replace('\\', '/').Trim();
        if (p.Length == 0 || p.StartsWith('/') || Path.IsPathRooted(p) || p.Split('/').Any(s => s is ".." or "."))
            throw new ArgumentException($"Artifact path '{relativePath}' must be a relative path without '.' or '..' segments.", nameof(relativePath));
        return string.Join('/', p.Split('/', StringSplitOptions.RemoveEmptyEntries));
    }
}
