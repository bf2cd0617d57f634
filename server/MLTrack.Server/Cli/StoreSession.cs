using System.CommandLine;
using MLTrack.Core.Launch;
using MLTrack.Core.Names;
using MLTrack.Core.Search;
using MLTrack.Core.Storage;
using MLTrack.Server.Composition;

namespace MLTrack.Server.Cli;

/// <summary>
/// Opens the root a command works on (its store and services, from the global options), recovers runs whose launcher
/// died, closes it when the command ends, and maps failures to messages and exit codes, so every command reports
/// errors the same way.
/// </summary>
public static class StoreSession
{
    public static int Run(ParseResult parse, CliOutput output, Func<MltrackRoot, int> body)
    {
        try
        {
            var root = MltrackRoot.Open(GlobalOptions.Settings(parse), output.Error);
            try
            {
                CrashRecovery.MarkCrashedRuns(root.Store, root.Artifacts);
                return body(root);
            }
            finally
            {
                root.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
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
            case SettingsException x: // --artifacts, --store … with a value that cannot be used
                output.Error.WriteLine($"error: {x.Message}");
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
