using System.Text.RegularExpressions;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Artifacts.S3;

/// <summary>
/// The local folder behind an <see cref="S3ArtifactStore"/>, a cache only — everything in it can be deleted:
/// <list type="bullet">
/// <item><c>objects/&lt;sha256&gt;/&lt;file name&gt;</c>: artifact contents read or written here, keyed by their sha256
/// (the hash recorded with each object), so a copy is valid for any run and path with that content and is never
/// stale;</item>
/// <item><c>staging/&lt;run_id&gt;/&lt;path&gt;</c>: files written in place while they grow (a launched run's log) until
/// they are stored;</item>
/// <item><c>trees/&lt;hash&gt;/…</c>: folders of artifacts materialized for code that needs a real folder.</item>
/// </list>
/// Every file is reached through an <see cref="ArtifactFolder"/>, so no symbolic link in the cache is followed, and
/// written as a temporary file (locked while written) moved into place.
/// </summary>
internal sealed partial class S3ArtifactCache
{
    private const string Description = "the artifact cache";

    public S3ArtifactCache(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        Objects = new ArtifactFolder(Root, "objects", Description);
        StagingRoot = Path.Combine(Root, "staging");
        Trees = new ArtifactFolder(Root, "trees", Description);
    }

    public string Root { get; }

    public ArtifactFolder Objects { get; }

    public string StagingRoot { get; }

    public ArtifactFolder Trees { get; }

    public ArtifactFolder Staging(string runId) => ArtifactFolder.ForRun(StagingRoot, runId);

    public static bool IsSha256(string? value) => value is not null && Sha256Pattern().IsMatch(value);

    /// <summary>The cached copy of content <paramref name="sha256"/> (relative to <see cref="Objects"/>), preferring one named <paramref name="name"/>; null when none.</summary>
    public string? Find(string sha256, string? name = null)
    {
        if (!IsSha256(sha256) || !Objects.IsFolder(sha256)) return null;
        if (name is not null && Objects.IsFile(sha256 + "/" + name)) return sha256 + "/" + name;
        return Objects.List(sha256).OfType<FileInfo>().Select(f => sha256 + "/" + f.Name).FirstOrDefault();
    }

    /// <summary>
    /// A new temporary file in <see cref="Objects"/>, open for reading and writing and locked (so clean-up leaves it
    /// alone) until disposed; then <see cref="Adopt"/> it.
    /// </summary>
    public (FileStream Stream, string Path) NewTemp()
    {
        StorePermissions.CreateFolder(Objects.FullPath);
        Objects.Resolve("", allowRoot: true); // refuses the folder when it is a link
        var path = System.IO.Path.Combine(Objects.FullPath, ArtifactFolder.TempPrefix + Guid.NewGuid().ToString("N"));
        var options = StorePermissions.NewFile(FileMode.CreateNew, FileShare.None);
        options.Access = FileAccess.ReadWrite;
        options.BufferSize = 1 << 16;
        options.Options = FileOptions.Asynchronous;
        return (new FileStream(path, options), path);
    }

    /// <summary>Moves a complete temporary file in as content <paramref name="sha256"/> named <paramref name="name"/>; returns its path relative to <see cref="Objects"/>.</summary>
    public string Adopt(string tempPath, string sha256, string name)
    {
        var rel = sha256 + "/" + name;
        var target = Objects.PrepareFile(rel);
        if (Directory.Exists(target)) throw new IOException($"The artifact cache holds a folder at '{rel}'.");
        File.Move(tempPath, target, overwrite: true); // the same content when it was there already
        return rel;
    }

    /// <summary>A copy of cached <paramref name="relative"/> (in <see cref="Objects"/>) named <paramref name="name"/> beside it.</summary>
    public string CopyAs(string relative, string sha256, string name)
    {
        var (stream, temp) = NewTemp();
        try
        {
            using (stream)
            {
                using (var source = Objects.OpenRead(relative)) source.CopyTo(stream);
                stream.Flush(flushToDisk: true);
            }
            return Adopt(temp, sha256, name); // unlocked first: readers of the copy must not meet the writer's lock
        }
        finally
        {
            ArtifactFolder.TryDelete(temp);
        }
    }

    /// <summary>
    /// A new, empty folder in <see cref="Trees"/> to build a tree in, then <see cref="AdoptTree"/>; one left by a
    /// process that died is removed by <see cref="RemoveAbandonedTemps"/> after <see cref="AbandonedTreeAge"/>.
    /// </summary>
    public string NewTreeTemp()
    {
        StorePermissions.CreateFolder(Trees.FullPath);
        Trees.Resolve("", allowRoot: true); // refuses the folder when it is a link
        var path = System.IO.Path.Combine(Trees.FullPath, ArtifactFolder.TempPrefix + Guid.NewGuid().ToString("N"));
        StorePermissions.CreateFolder(path);
        return path;
    }

    /// <summary>Moves a complete tree into place as <paramref name="key"/> (one built meanwhile by another reader wins); returns its path.</summary>
    public string AdoptTree(string tempFolder, string key)
    {
        var target = Trees.Resolve(key);
        try
        {
            Directory.Move(tempFolder, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            Directory.Delete(tempFolder, recursive: true); // the same files, built by another reader first
        }
        return target;
    }

    /// <summary>How old a tree still being built must be before it counts as abandoned (a build copies at most a model).</summary>
    public static readonly TimeSpan AbandonedTreeAge = TimeSpan.FromHours(1);

    public int RemoveAbandonedTemps(CancellationToken cancel)
    {
        int removed = Objects.RemoveAbandonedTemps();
        if (Trees.IsFolder(""))
        {
            foreach (var dir in new DirectoryInfo(Trees.FullPath).EnumerateDirectories(ArtifactFolder.TempPrefix + "*"))
            {
                if (dir.LinkTarget is not null || DateTime.UtcNow - dir.LastWriteTimeUtc < AbandonedTreeAge) continue;
                try
                {
                    dir.Delete(recursive: true); // unlinks links, never descends them
                    removed++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                }
            }
        }
        if (!cancel.IsCancellationRequested) removed += ArtifactFolder.RemoveAbandonedUploads(StagingRoot, cancel);
        return removed;
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}
