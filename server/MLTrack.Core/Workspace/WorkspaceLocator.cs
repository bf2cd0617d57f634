using MLTrack.Core.Storage;

namespace MLTrack.Core.Workspace;

/// <summary>
/// Finds where a store lives. The workspace is the nearest folder upward holding <c>.mltrack/</c> or a git root,
/// else the start folder; the store is the file <c>&lt;workspace&gt;/.mltrack/mltrack.db</c> unless overridden.
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

    /// <summary>
    /// The store: explicit option first, then <c>MLTRACK_STORE</c>, then the workspace default; each may be a path
    /// (relative to <paramref name="startDirectory"/>) or a URI (see <see cref="StoreLocation"/>).
    /// </summary>
    /// <exception cref="StoreException">InvalidParameterValue for a location that cannot be parsed.</exception>
    public static StoreLocation ResolveStore(string? explicitValue, string startDirectory)
    {
        var chosen = !string.IsNullOrWhiteSpace(explicitValue) ? explicitValue
            : Environment.GetEnvironmentVariable(StoreEnvironmentVariable) is { Length: > 0 } env ? env
            : Path.Combine(FindRoot(startDirectory), FolderName, DatabaseFileName);
        return StoreLocation.Parse(chosen, startDirectory);
    }
}
