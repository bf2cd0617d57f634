using System.Runtime.Versioning;

namespace MLTrack.Core.Storage;

/// <summary>
/// A store holds every param, code diff and output log of its runs, so only its owner may read it: the store folder
/// is 0700 and its files 0600, whatever the umask. A store folder created by an older MLTrack (0755 under umask 022)
/// is tightened when opened, once, and the caller shows <see cref="Tighten"/>'s note.
/// Only a folder named <c>.mltrack</c> is tightened as a whole: a <c>--store</c> file elsewhere sits in the user's own
/// folder, whose other files are none of MLTrack's business; there only the database files are made owner-only.
/// </summary>
public static class StorePermissions
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupAndOther = (UnixFileMode)0b000_111_111;

    /// <summary>Whether the file system has POSIX modes (not on Windows, where the user profile's ACLs apply).</summary>
    [UnsupportedOSPlatformGuard("windows")]
    public static bool Applies => !OperatingSystem.IsWindows();

    /// <summary>Creates <paramref name="folder"/> (and missing parents) owner-only; an existing folder is left as it is.</summary>
    public static void CreateFolder(string folder)
    {
        if (!Applies)
        {
            Directory.CreateDirectory(folder);
            return;
        }
        // .NET gives the mode to the last folder only; missing parents (e.g. artifacts/ above a run's folder) get it too.
        var full = Path.GetFullPath(folder);
        var missing = new Stack<string>();
        for (var d = full; !string.IsNullOrEmpty(d) && !Directory.Exists(d); d = Path.GetDirectoryName(d)) missing.Push(d);
        while (missing.TryPop(out var d)) Directory.CreateDirectory(d, FolderMode);
    }

    /// <summary>Creates an empty owner-only file when it does not exist, so SQLite (which gives its -wal and -shm files
    /// the database's mode) and appenders inherit 0600 rather than the umask's 0644.</summary>
    public static void CreateFile(string path)
    {
        if (!Applies || File.Exists(path)) return;
        try
        {
            using var _ = new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: fine, Tighten fixes its mode.
        }
    }

    /// <summary>Options for a new owner-only file written by MLTrack (artifacts, logs, reports).</summary>
    public static FileStreamOptions NewFile(System.IO.FileMode mode = System.IO.FileMode.Create, FileShare share = FileShare.Read)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = share };
        if (Applies) options.UnixCreateMode = FileMode;
        return options;
    }

    /// <summary>
    /// Makes the store at <paramref name="databasePath"/> owner-only. Returns a note for the user when something had to
    /// be tightened (an existing store from before this rule), else null. Cheap when nothing needs doing: one stat of
    /// the folder and of each database file.
    /// </summary>
    public static string? Tighten(string databasePath)
    {
        if (!Applies) return null;
        var folder = Path.GetDirectoryName(Path.GetFullPath(databasePath))!;
        var changed = 0;
        var wasMode = File.GetUnixFileMode(folder);
        if (Path.GetFileName(folder) == Workspace.WorkspaceLocator.FolderName && (wasMode & GroupAndOther) != 0)
        {
            changed += TightenTree(folder);
        }
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            var file = databasePath + suffix;
            if (File.Exists(file)) changed += TightenOne(file, isFolder: false);
        }
        if (changed == 0) return null;
        return $"mltrack: the store '{folder}' was readable by other users (folder mode {Octal(wasMode)}); " +
               $"made it owner-only ({changed} file(s) and folder(s) now 0700/0600).";
    }

    [UnsupportedOSPlatform("windows")]
    private static int TightenTree(string folder)
    {
        var changed = TightenOne(folder, isFolder: true);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", options))
        {
            if (entry.LinkTarget is not null) continue; // a link's own mode means nothing; never chmod through it
            changed += TightenOne(entry.FullName, entry is DirectoryInfo);
        }
        return changed;
    }

    [UnsupportedOSPlatform("windows")]
    private static int TightenOne(string path, bool isFolder)
    {
        try
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupAndOther) == 0) return 0;
            // Keep the owner's bits (an executable artifact stays executable for its owner); folders keep owner rwx.
            File.SetUnixFileMode(path, (mode & ~GroupAndOther) | (isFolder ? FolderMode : UnixFileMode.None));
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0; // not ours to change (another owner) or gone meanwhile: opening the store must not fail for it
        }
    }

    private static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0b111_111_111, 8);
}
