using System.CommandLine;
using MLTrack.Core.Launch;
using MLTrack.Core.Names;
using MLTrack.Core.Search;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Core.Workspace;

namespace MLTrack.Server.Cli;

/// <summary>
/// Opens the store a command works on, recovers runs whose launcher died, and maps failures to messages and exit
/// codes, so every command reports errors the same way.
/// </summary>
public static class StoreSession
{
    public static int Run(ParseResult parse, CliOutput output, Func<ITrackingStore, int> body)
    {
        try
        {
            var path = WorkspaceLocator.ResolveStorePath(parse.GetValue(GlobalOptions.Store), Environment.CurrentDirectory);
            using var store = SqliteTrackingStore.Open(path);
            if (store.PermissionNote is { } note) output.Error.WriteLine(note);
            using (var artifacts = GlobalOptions.OpenArtifacts(parse, store)) CrashRecovery.MarkCrashedRuns(store, artifacts);
            return body(store);
        }
        catch (Exception e)
        {
            return Report(e, output);
        }
    }

    public static int Report(Exception e, CliOutput output)
    {
        switch (e)
        {
            case FilterSyntaxException f:
                output.Error.WriteLine($"error: {f.Message}");
                output.Error.WriteLine(Indent(f.FormatWithCaret()));
                return ExitCodes.Usage;
            case UsageException u:
                output.Error.WriteLine($"error: {u.Message}");
                return ExitCodes.Usage;
            case InvalidNameException n: // --name or --experiment with a control or invisible character
                output.Error.WriteLine($"error: {n.Message}");
                return ExitCodes.Usage;
            case StoreException s:
                output.Error.WriteLine($"error: {s.Message}");
                return ExitCodes.Error;
            default:
                throw e;
        }
    }

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => "  " + l));
}

/// <summary>The user's command line is wrong in a way the parser cannot see (e.g. <c>--param</c> without '=').</summary>
public sealed class UsageException(string message) : Exception(message);
