using MLTrack.Core.Storage;

namespace MLTrack.Server.Composition;

/// <summary>
/// What a process is told about where things are (command-line options, environment, an editor's initialize). Every
/// value is optional but the store; <see cref="MltrackLayout.Resolve"/> fills in the defaults, which for a SQLite store
/// are today's folders beside the database file (<c>.mltrack/</c>), and for a postgresql:// store the per-user state
/// folder (<see cref="Core.Workspace.UserStateFolder"/>).
/// </summary>
public sealed record MltrackSettings
{
    /// <summary>The store; null until chosen (resolving then fails).</summary>
    public StoreLocation? Store { get; init; }

    /// <summary><c>--artifacts</c>: a folder, <c>file:///…</c> or <c>s3://bucket/prefix</c> (see <see cref="ArtifactLocation"/>).</summary>
    public string? Artifacts { get; init; }

    /// <summary>
    /// MLTrack's own folder: the token, and for a SQLite store <c>server.json</c>, <c>server.lock</c> and the spool.
    /// Default: the SQLite file's folder; for PostgreSQL the per-user state folder.
    /// </summary>
    public string? StateFolder { get; init; }

    /// <summary>Where reports are written; default <c>&lt;state folder&gt;/reports</c>.</summary>
    public string? ReportsFolder { get; init; }

    /// <summary>Where deployments keep their work folders; default <c>&lt;state folder&gt;/deployments</c>.</summary>
    public string? DeploymentsFolder { get; init; }

    /// <summary>The bearer token's file; default <c>&lt;state folder&gt;/token</c>.</summary>
    public string? TokenFile { get; init; }

    /// <summary>What relative folder paths are taken from; default the current folder.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>Reads environment variables (XDG_STATE_HOME, the AWS variables of the S3 artifact store); default the process's.</summary>
    public Func<string, string?>? Environment { get; init; }
}
