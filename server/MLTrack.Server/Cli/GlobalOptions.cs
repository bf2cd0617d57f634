using System.CommandLine;
using MLTrack.Core.Workspace;
using MLTrack.Server.Composition;

namespace MLTrack.Server.Cli;

public static class GlobalOptions
{
    public static readonly Option<string?> Store = new("--store")
    {
        Description = "The store: a file path, sqlite:///relative/path.db, sqlite:////absolute/path.db, or postgresql://user@host:port/database " +
                      "for a team store (default: $MLTRACK_STORE, else <workspace>/.mltrack/mltrack.db).",
        Recursive = true,
    };

    public static readonly Option<string?> Artifacts = new("--artifacts")
    {
        Description = "Where run artifacts go (or $MLTRACK_ARTIFACTS): a folder, file:///absolute/path, or s3://bucket/prefix, a durable copy " +
                      "for which the local artifact folder then acts as a cache. S3 endpoint and credentials come from the AWS environment " +
                      "variables (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID...).",
        Recursive = true,
    };

    public static readonly Option<string?> StateDir = new("--state-dir")
    {
        Description = "MLTrack's own folder: the token and, for a SQLite store, server.json, server.lock and the spool; the default parent of " +
                      "--reports-dir and --deployments-dir. Default: the SQLite store's folder (.mltrack/); for a postgresql:// store " +
                      "$XDG_STATE_HOME/mltrack (else ~/.local/state/mltrack).",
        Recursive = true,
    };

    public static readonly Option<string?> ReportsDir = new("--reports-dir")
    {
        Description = "Folder of generated reports (default: <state-dir>/reports, i.e. .mltrack/reports for a SQLite store).",
        Recursive = true,
    };

    public static readonly Option<string?> DeploymentsDir = new("--deployments-dir")
    {
        Description = "Folder of the deployments' work folders (default: <state-dir>/deployments, i.e. .mltrack/deployments for a SQLite store).",
        Recursive = true,
    };

    public static readonly Option<string?> TokenFile = new("--token-file")
    {
        Description = "The servers' bearer token file, created 0600 when missing (default: <state-dir>/token). " +
                      "Replicas of a team server on several machines need the same token: give them one file.",
        Recursive = true,
    };

    /// <summary>The options above, in the order the root command lists them.</summary>
    public static IReadOnlyList<Option> All => [Store, Artifacts, StateDir, ReportsDir, DeploymentsDir, TokenFile];

    /// <summary>The environment variable read when <see cref="Artifacts"/> is not given.</summary>
    public const string ArtifactsEnvironmentVariable = "MLTRACK_ARTIFACTS";

    /// <summary>
    /// The settings the options (and their environment variables) give: the store from <c>--store</c>, else
    /// <c>$MLTRACK_STORE</c>, else the workspace's; artifacts from <c>--artifacts</c>, else <c>$MLTRACK_ARTIFACTS</c>.
    /// </summary>
    /// <param name="withStore">False for <c>mltrack rpc</c>, whose client names the store in initialize.</param>
    /// <exception cref="Core.Storage.StoreException">InvalidParameterValue for a store that cannot be parsed.</exception>
    public static MltrackSettings Settings(ParseResult parse, bool withStore = true)
    {
        var cwd = Environment.CurrentDirectory;
        return new MltrackSettings
        {
            Store = withStore ? WorkspaceLocator.ResolveStore(parse.GetValue(Store), cwd) : null,
            Artifacts = parse.GetValue(Artifacts) ?? Environment.GetEnvironmentVariable(ArtifactsEnvironmentVariable),
            StateFolder = parse.GetValue(StateDir),
            ReportsFolder = parse.GetValue(ReportsDir),
            DeploymentsFolder = parse.GetValue(DeploymentsDir),
            TokenFile = parse.GetValue(TokenFile),
            BaseDirectory = cwd,
        };
    }

    public static readonly Option<bool> Json = new("--json") { Description = "Print stable JSON instead of a table (see README)." };
}
