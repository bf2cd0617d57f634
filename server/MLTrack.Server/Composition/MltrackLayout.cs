using MLTrack.Core.Deploy;
using MLTrack.Core.Storage;
using MLTrack.Core.Workspace;

namespace MLTrack.Server.Composition;

/// <summary>
/// <see cref="MltrackSettings"/> with every default filled in: the store, where artifacts go, and the folders and
/// files MLTrack keeps of its own. For a SQLite store the defaults are the folder of the database file (so nothing
/// moves for existing workspaces: <c>.mltrack/reports</c>, <c>.mltrack/deployments</c>, <c>.mltrack/token</c>,
/// <c>.mltrack/server.json</c>); for PostgreSQL the per-user state folder, and no single-server lock.
/// </summary>
public sealed record MltrackLayout
{
    public const string ReportsFolderName = "reports";
    public const string ArtifactsFolderName = "artifacts";

    public required StoreLocation Store { get; init; }

    /// <summary>Where artifacts go as the settings said (a folder, or S3 behind <see cref="ArtifactRoot"/>).</summary>
    public required ArtifactLocation Artifacts { get; init; }

    /// <summary>The local folder of run artifacts (<c>&lt;root&gt;/&lt;run_id&gt;/</c>); a cache when <see cref="Artifacts"/> is S3.</summary>
    public required string ArtifactRoot { get; init; }

    public required string StateFolder { get; init; }

    public required string ReportsFolder { get; init; }

    public required string DeploymentsFolder { get; init; }

    public required string TokenFile { get; init; }

    /// <summary>
    /// Where <c>server.json</c>, <c>server.lock</c> (one server per store) and the spool live: the state folder of a
    /// SQLite store; null for PostgreSQL, whose point is several servers on one database.
    /// </summary>
    public string? ServerFolder { get; init; }

    /// <exception cref="SettingsException">No store, or an artifact location that cannot be used.</exception>
    public static MltrackLayout Resolve(MltrackSettings settings)
    {
        var store = settings.Store ?? throw new SettingsException("No store is set: give --store with " + StoreLocation.AcceptedForms + ".");
        var baseDir = settings.BaseDirectory ?? Environment.CurrentDirectory;
        string? Full(string? path) => string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path, baseDir);
        var state = Full(settings.StateFolder) ?? store.SqliteFolder ?? UserStateFolder.Resolve(settings.Environment);
        var artifacts = ArtifactLocation.Parse(settings.Artifacts, baseDir);
        return new MltrackLayout
        {
            Store = store,
            Artifacts = artifacts,
            // Beside a SQLite file whatever the state folder: existing runs' artifacts are there.
            ArtifactRoot = artifacts.Folder ?? Path.Combine(store.SqliteFolder ?? state, ArtifactsFolderName),
            StateFolder = state,
            ReportsFolder = Full(settings.ReportsFolder) ?? Path.Combine(state, ReportsFolderName),
            DeploymentsFolder = Full(settings.DeploymentsFolder) ?? Path.Combine(state, DeploymentService.FolderName),
            TokenFile = Full(settings.TokenFile) ?? Http.TokenFile.PathIn(state),
            ServerFolder = store.Kind == StoreKind.Sqlite ? state : null,
        };
    }
}
