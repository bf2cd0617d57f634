namespace MLTrack.Core.Workspace;

/// <summary>
/// Finds where a store lives. The workspace is the nearest folder upward holding <c>.mltrack/</c> or a git root,
/// else the start folder; the store file is <c>&lt;workspace&gt;/.mltrack/mltrack.db</c> unless overridden.
/// </summary>
public static class WorkspaceLocator
{
    public const string FolderName = ".mltrack";
    public const string DatabaseFileName = "mltrack.db";
    public const string StoreEnvironmentVariable = "MLTRACK_STORE";

    public static string FindRoot(string startDirectory)
    {
        var start = new DirectoryInfo(Path.GetFullPath(startDirectory));
        for (var dir = start; dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, FolderName))) return dir.FullName;
            if (Path.Exists(Path.Combine(dir.FullName, ".git"))) return dir.FullName;
        }
        return start.FullName;
    }

    /// <summary>The store path: explicit option first, then <c>MLTRACK_STORE</c>, then the workspace default.</summary>
    public static string ResolveStorePath(string? explicitPath, string startDirectory)
    {
        var chosen = !string.IsNullOrWhiteSpace(explicitPath) ? explicitPath
            : Environment.GetEnvironmentVariable(StoreEnvironmentVariable) is { Length: > 0 } env ? env
            : Path.Combine(FindRoot(startDirectory), FolderName, DatabaseFileName);
        return Path.GetFullPath(chosen, startDirectory);
    }
}
