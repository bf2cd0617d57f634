using MLTrack.Core.Storage;
using Microsoft.Win32.SafeHandles;

namespace MLTrack.Core.Artifacts;

/// <summary>
/// One per-id folder of files — a run's artifacts (<c>&lt;artifact root&gt;/&lt;run_id&gt;</c>), a report's files, a
/// deployment's work files — addressed by relative paths that cannot reach outside it. Every file access under such a
/// folder goes through here.
/// <para>
/// The rule: a symbolic link at or below the folder is never followed — not read, listed, written through, copied,
/// mirrored or deleted through. A tracked script can place one there, and the server would then serve or overwrite
/// whatever it points at. A link that points back inside is refused too: one rule that needs no resolving at each use
/// is the one that stays safe. The parent (the store's artifact root, the reports root, the deployments root) is
/// configuration, not content: it may be or sit under a link and is resolved to its real path once.
/// </para>
/// <para>
/// Reads are checked again on the opened handle (its real path, on Linux), so a link swapped in between the check
/// and the open is still refused. Writes go to a new temporary file created exclusively (O_EXCL never follows a link)
/// and renamed over the target (a rename replaces a link instead of writing through it), so a reader sees the old
/// file or the new one, never a part.
/// </para>
/// </summary>
public sealed class ArtifactFolder
{
    /// <summary>Files being written are named with this prefix; they are never served or listed, and the name is reserved.</summary>
    public const string TempPrefix = ".mltrack-upload-";

    /// <summary>
    /// The folder <paramref name="id"/> (one path segment) inside <paramref name="parent"/>; nothing is created.
    /// <paramref name="description"/> names it in error messages, e.g. "the run's artifact folder".
    /// </summary>
    /// <exception cref="ArtifactPathException"><paramref name="id"/> is not a single plain name.</exception>
    public ArtifactFolder(string parent, string id, string description)
    {
        ArtifactPathRules.CheckId(id, description);
        Description = description;
        Name = id;
        FullPath = Path.Combine(RealPath(parent), id);
    }

    /// <summary>A run's artifact folder in the store's artifact root.</summary>
    public static ArtifactFolder ForRun(string artifactRoot, string runId) => new(artifactRoot, runId, "the run's artifact folder");

    /// <summary>The folder at <paramref name="directory"/> (its parent taken as the trusted root).</summary>
    public static ArtifactFolder At(string directory, string description)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        return new ArtifactFolder(Path.GetDirectoryName(full) ?? full, Path.GetFileName(full), description);
    }

    /// <summary>The folder's name (the run, report or deployment id).</summary>
    public string Name { get; }

    /// <summary>The folder's absolute path: the real path of its parent, then <see cref="Name"/>.</summary>
    public string FullPath { get; }

    /// <summary>How error messages name the folder.</summary>
    public string Description { get; }

    /// <summary>
    /// <paramref name="relative"/> in its normal form: '/'-separated ('\' counts as one), empty segments dropped.
    /// </summary>
    /// <exception cref="ArtifactPathException">Empty, absolute, with '.' or '..' segments, a NUL, or a reserved name.</exception>
    public string Normalize(string relative) => string.Join('/', Segments(relative, allowEmpty: false));

    /// <summary>
    /// The file system path of <paramref name="relative"/> (which need not exist), after checking that no existing part
    /// of it — the folder itself included — is a symbolic link. An empty path is the folder itself when <paramref name="allowRoot"/>.
    /// </summary>
    /// <exception cref="ArtifactPathException">A bad path, or one through a symbolic link.</exception>
    public string Resolve(string relative, bool allowRoot = false)
    {
        var segments = Segments(relative, allowEmpty: allowRoot);
        var current = FullPath;
        if (IsLink(current)) throw ThroughLink(relative, current, null);
        if (!Path.Exists(current)) return Path.Combine([current, .. segments]);
        for (int i = 0; i < segments.Length; i++)
        {
            current = Path.Combine(current, segments[i]);
            if (IsLink(current)) throw ThroughLink(relative, current, string.Join('/', segments.Take(i + 1)));
            if (!Path.Exists(current)) return Path.Combine([current, .. segments.Skip(i + 1)]);
        }
        return current;
    }

    /// <summary>True when <paramref name="relative"/> is a regular file reached without symbolic links (false for a link).</summary>
    /// <exception cref="ArtifactPathException">A malformed path.</exception>
    public bool IsFile(string relative)
    {
        try { return File.Exists(Resolve(relative)); }
        catch (ArtifactPathException) when (IsWellFormed(relative)) { return false; }
    }

    /// <summary>True when <paramref name="relative"/> ("" for the folder itself) is a folder reached without symbolic links.</summary>
    public bool IsFolder(string relative)
    {
        try { return Directory.Exists(Resolve(relative, allowRoot: true)); }
        catch (ArtifactPathException) when (IsWellFormed(relative, allowEmpty: true)) { return false; }
    }

    /// <summary>Opens a regular file of the folder for reading (shared with writers; the file may be replaced meanwhile).</summary>
    /// <exception cref="FileNotFoundException">No such file (a folder is not one).</exception>
    /// <exception cref="ArtifactPathException">A bad path, or one through a symbolic link.</exception>
    public FileStream OpenRead(string relative, int bufferSize = 1 << 16)
    {
        var full = Resolve(relative);
        if (!File.Exists(full)) throw NotFound(relative);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw NotFound(relative);
        }
        try
        {
            RequireInside(handle, relative);
            return new FileStream(handle, FileAccess.Read, bufferSize, isAsync: true);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The file's bytes.</summary>
    public byte[] ReadAllBytes(string relative)
    {
        using var stream = OpenRead(relative);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The file's text (UTF-8 unless it starts with another byte order mark).</summary>
    public string ReadAllText(string relative)
    {
        using var reader = new StreamReader(OpenRead(relative));
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The entries of one folder ("" for the folder itself): files and folders, without symbolic links (of any kind)
    /// and without files being written. Empty when the folder does not exist.
    /// </summary>
    /// <exception cref="ArtifactPathException">A bad path, or one through a symbolic link.</exception>
    public IReadOnlyList<FileSystemInfo> List(string relative)
    {
        var dir = Resolve(relative, allowRoot: true);
        if (!Directory.Exists(dir)) return [];
        return new DirectoryInfo(dir).EnumerateFileSystemInfos().Where(Listed).ToList();
    }

    /// <summary>
    /// Every regular file below the folder <paramref name="relative"/> ("" for all), as paths relative to this folder,
    /// in ordinal order. Symbolic links are neither listed nor descended into; <paramref name="refuseLinks"/> refuses
    /// the tree when it holds one (for copying a whole folder, where a silently missing file would break it).
    /// </summary>
    public IReadOnlyList<string> Files(string relative, bool refuseLinks = false)
    {
        var root = Resolve(relative, allowRoot: true);
        var prefix = relative.Length == 0 ? "" : Normalize(relative) + "/";
        var files = new List<string>();
        if (!Directory.Exists(root)) return files;
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
            {
                var rel = prefix + Path.GetRelativePath(root, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
                if (entry.LinkTarget is not null && refuseLinks) throw ThroughLink(rel, entry.FullName, rel);
                if (!Listed(entry)) continue;
                if (entry is DirectoryInfo) pending.Push(entry.FullName);
                else files.Add(rel);
            }
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>
    /// The path to create <paramref name="relative"/> at, its folders created (none through a link); for writers that
    /// open the file themselves. Refused when an existing part, the file included, is a symbolic link.
    /// </summary>
    public string PrepareFile(string relative)
    {
        var target = Resolve(relative);
        CreateFolders(relative);
        return target;
    }

    /// <summary>
    /// Starts writing a new version of <paramref name="relative"/>: a temporary file beside it, created exclusively;
    /// <see cref="PendingArtifactFile.Commit"/> moves it into place, disposing without committing deletes it.
    /// </summary>
    /// <exception cref="ArtifactPathException">A bad path, one through a symbolic link, or the path of a folder.</exception>
    public PendingArtifactFile Create(string relative)
    {
        var target = Resolve(relative);
        var folder = CreateFolders(relative);
        if (Directory.Exists(target))
            throw new ArtifactPathException($"Path '{relative}' is a folder in {Description}; a file cannot replace it.", relative);
        var temp = Path.Combine(folder, TempPrefix + Guid.NewGuid().ToString("N"));
        // FileShare.None is an exclusive lock on Unix too: RemoveAbandonedTemps skips a file a live writer holds.
        var options = StorePermissions.NewFile(FileMode.CreateNew, FileShare.None);
        options.BufferSize = 1 << 16;
        options.Options = FileOptions.Asynchronous;
        var stream = new FileStream(temp, options);
        try
        {
            RequireInside(stream.SafeFileHandle, relative);
        }
        catch
        {
            stream.Dispose();
            TryDelete(temp);
            throw;
        }
        return new PendingArtifactFile(this, relative, temp, stream);
    }

    /// <summary>Replaces <paramref name="relative"/> with <paramref name="bytes"/> as a whole.</summary>
    public void WriteAllBytes(string relative, ReadOnlySpan<byte> bytes)
    {
        using var pending = Create(relative);
        pending.Stream.Write(bytes);
        pending.Commit();
    }

    /// <summary>Replaces <paramref name="relative"/> with <paramref name="text"/> (UTF-8, no byte order mark) as a whole.</summary>
    public void WriteAllText(string relative, string text) => WriteAllBytes(relative, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Replaces <paramref name="relative"/> with the rest of <paramref name="content"/> as a whole.</summary>
    public void Write(string relative, Stream content)
    {
        using var pending = Create(relative);
        content.CopyTo(pending.Stream);
        pending.Commit();
    }

    /// <summary>Replaces <paramref name="relative"/> with a copy of the file <paramref name="sourceFile"/> (a path outside any folder) as a whole.</summary>
    public void CopyIn(string sourceFile, string relative)
    {
        using var source = new FileStream(sourceFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        Write(relative, source);
    }

    /// <summary>Deletes the folder and everything in it; a link (the folder itself or anything below) is removed, never followed.</summary>
    public void DeleteAll()
    {
        if (IsLink(FullPath)) File.Delete(FullPath);
        else if (Directory.Exists(FullPath)) Directory.Delete(FullPath, recursive: true); // unlinks links, does not descend them
    }

    /// <summary>
    /// Deletes the temporary files that writers left behind when their process died mid-write (an upload cut by a
    /// crash), anywhere below the folder; returns how many. A temporary file is abandoned when no live process holds
    /// it open: every writer holds its file open with an exclusive lock (FileShare.None, which .NET takes as flock on
    /// Unix and the kernel drops when the process dies), so taking that lock here proves the writer is gone — also
    /// when another server or a launcher on the same store is writing right now. An age alone could not tell a slow
    /// live upload from a dead one. The one gap, a file created an instant ago and not yet locked, is empty: such a
    /// file is left alone for a few seconds.
    /// </summary>
    public int RemoveAbandonedTemps()
    {
        if (IsLink(FullPath) || !Directory.Exists(FullPath)) return 0;
        int removed = 0;
        var pending = new Stack<DirectoryInfo>([new DirectoryInfo(FullPath)]);
        while (pending.Count > 0)
        {
            IEnumerable<FileSystemInfo> entries;
            try { entries = pending.Pop().EnumerateFileSystemInfos().ToList(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            foreach (var entry in entries)
            {
                if (entry.LinkTarget is not null) continue;
                if (entry is DirectoryInfo d) pending.Push(d);
                else if (entry.Name.StartsWith(TempPrefix, StringComparison.Ordinal) && TryRemoveAbandoned((FileInfo)entry)) removed++;
            }
        }
        return removed;
    }

    /// <summary><see cref="RemoveAbandonedTemps()"/> of every run folder in <paramref name="artifactRoot"/>; how many files went.</summary>
    public static int RemoveAbandonedUploads(string artifactRoot, CancellationToken cancel = default)
    {
        var root = RealPath(artifactRoot);
        if (!Directory.Exists(root)) return 0;
        int removed = 0;
        foreach (var dir in new DirectoryInfo(root).EnumerateDirectories())
        {
            if (cancel.IsCancellationRequested) break;
            if (dir.LinkTarget is null) removed += new ArtifactFolder(root, dir.Name, "the run's artifact folder").RemoveAbandonedTemps();
        }
        return removed;
    }

    internal static readonly TimeSpan JustCreated = TimeSpan.FromSeconds(5);

    private static bool TryRemoveAbandoned(FileInfo file)
    {
        try
        {
            if (file.Length == 0 && DateTime.UtcNow - file.LastWriteTimeUtc < JustCreated) return false;
            // Opening with FileShare.None fails while a live writer holds its lock; DeleteOnClose removes the file under ours.
            using var held = new FileStream(file.FullName, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Moves a finished temporary file over its target; called by <see cref="PendingArtifactFile.Commit"/>.</summary>
    internal void Replace(string temp, string relative)
    {
        var target = Resolve(relative); // again: a folder on the way may have been swapped for a link while writing
        if (Directory.Exists(target))
            throw new ArtifactPathException($"Path '{relative}' is a folder in {Description}; a file cannot replace it.", relative);
        File.Move(temp, target, overwrite: true);
    }

    internal static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Creates the folders of <paramref name="relative"/>'s parent one at a time, refusing any that is (or becomes) a link.</summary>
    private string CreateFolders(string relative)
    {
        var segments = Segments(relative, allowEmpty: false);
        var current = FullPath;
        StorePermissions.CreateFolder(current);
        if (IsLink(current)) throw ThroughLink(relative, current, null);
        for (int i = 0; i < segments.Length - 1; i++)
        {
            current = Path.Combine(current, segments[i]);
            if (!IsLink(current)) StorePermissions.CreateFolder(current);
            if (IsLink(current)) throw ThroughLink(relative, current, string.Join('/', segments.Take(i + 1)));
        }
        return current;
    }

    /// <summary>Refuses an opened file whose real path is not inside the folder (a link swapped in after the checks).</summary>
    private void RequireInside(SafeFileHandle handle, string relative)
    {
        if (OpenedPath(handle) is { } real && !real.StartsWith(FullPath + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArtifactPathException($"Path '{relative}' leaves {Description} through a symbolic link; symbolic links there are never followed.", relative);
    }

    /// <summary>The real path of an open file where the system tells it (Linux: /proc/self/fd); null elsewhere.</summary>
    private static string? OpenedPath(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var fd = handle.DangerousGetHandle().ToInt64();
        return new FileInfo("/proc/self/fd/" + fd.ToString(System.Globalization.CultureInfo.InvariantCulture)).LinkTarget;
    }

    private ArtifactPathException ThroughLink(string relative, string link, string? linkRelative)
    {
        bool leaves;
        try
        {
            var real = RealPath(link);
            leaves = !real.StartsWith(FullPath + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            leaves = true; // a loop or an unreadable target: not known to stay inside
        }
        var where = linkRelative is null ? $"{Description} itself is one" : $"at '{linkRelative}'";
        var message = leaves
            ? $"Path '{relative}' leaves {Description} through a symbolic link ({where}); symbolic links there are never followed."
            : $"Path '{relative}' goes through a symbolic link ({where}); symbolic links in {Description} are never followed, even to files inside it.";
        return new ArtifactPathException(message, relative);
    }

    private FileNotFoundException NotFound(string relative) => new($"{Capitalized(Description)} has no file '{relative}'.", relative);

    private static string Capitalized(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static bool Listed(FileSystemInfo entry) =>
        entry.LinkTarget is null && !entry.Name.StartsWith(TempPrefix, StringComparison.Ordinal);

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    private bool IsWellFormed(string relative, bool allowEmpty = false)
    {
        try
        {
            Segments(relative, allowEmpty);
            return true;
        }
        catch (ArtifactPathException)
        {
            return false;
        }
    }

    private string[] Segments(string relative, bool allowEmpty) => ArtifactPathRules.Segments(relative, allowEmpty, Description);

    /// <summary>
    /// The path with every symbolic link in its existing part resolved (realpath semantics); a missing rest is kept as
    /// given. Throws <see cref="IOException"/> on a link loop.
    /// </summary>
    internal static string RealPath(string path, int depth = 0)
    {
        if (depth > 40) throw new IOException("Too many levels of symbolic links.");
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var root = Path.GetPathRoot(full) ?? "";
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (int i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            var link = new FileInfo(next).LinkTarget;
            if (link is not null)
            {
                next = RealPath(Path.IsPathRooted(link) ? link : Path.Combine(current, link), depth + 1);
            }
            else if (!Path.Exists(next))
            {
                return Path.Combine([next, .. parts.Skip(i + 1)]);
            }
            current = next;
        }
        return current;
    }
}
