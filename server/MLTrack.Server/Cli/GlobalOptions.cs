using System.CommandLine;

namespace MLTrack.Server.Cli;

public static class GlobalOptions
{
    public static readonly Option<string?> Store = new("--store")
    {
        Description = "Store file (default: <workspace>/.mltrack/mltrack.db, or $MLTRACK_STORE).",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json") { Description = "Print stable JSON instead of a table (see README)." };
}
