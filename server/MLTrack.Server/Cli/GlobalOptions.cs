using System.CommandLine;

namespace MLTrack.Server.Cli;

public static class GlobalOptions
{
    public static readonly Option<string?> Store = new("--store")
    {
        Description = "Store file (default: <workspace>/.mltrack/mltrack.db, or $MLTRACK_STORE).",
        Recursive = true,
    };

    public static readonly Option<string?> Artifacts = new("--artifacts")
    {
        Description = "Durable artifact store, e.g. s3://bucket/prefix (or $MLTRACK_ARTIFACTS); the local folder then acts as a cache. " +
                      "S3 endpoint and credentials come from the AWS environment variables (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID...).",
        Recursive = true,
    };

    /// <summary>The environment variable read when <see cref="Artifacts"/> is not given.</summary>
    public const string ArtifactsEnvironmentVariable = "MLTRACK_ARTIFACTS";

    /// <summary>The artifact store URI: <c>--artifacts</c>, else <c>$MLTRACK_ARTIFACTS</c>, else null (the store's local folder).</summary>
    public static string? ArtifactsUri(ParseResult parse) =>
        parse.GetValue(Artifacts) ?? Environment.GetEnvironmentVariable(ArtifactsEnvironmentVariable);

    /// <summary>
    /// The artifact store for <see cref="ArtifactsUri"/> (<see cref="MLTrack.Core.Artifacts.ArtifactStoreFactory"/>), its local
    /// folder (or S3 cache) the store's artifact folder. A bad URI is a usage error naming what is wrong.
    /// </summary>
    public static MLTrack.Core.Artifacts.IArtifactStore OpenArtifacts(ParseResult parse, MLTrack.Core.Storage.ITrackingStore store)
    {
        try
        {
            return MLTrack.Core.Artifacts.ArtifactStoreFactory.Open(ArtifactsUri(parse), store.ArtifactRoot);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--artifacts (or ${ArtifactsEnvironmentVariable}): {e.Message}");
        }
    }

    public static readonly Option<bool> Json = new("--json") { Description = "Print stable JSON instead of a table (see README)." };
}
