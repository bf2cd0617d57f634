using System.CommandLine;
using MLTrack.Core.Launch;
using MLTrack.Core.Names;
using MLTrack.Server.Launch;
using MLTrack.Server.Cli.Output;

namespace MLTrack.Server.Cli.Commands;

/// <summary>
/// <c>mltrack run [options] -- COMMAND...</c>: launches the command as a tracked run and exits with its exit code
/// (127 when it could not start, 130 when stopped with Ctrl+C).
/// </summary>
public static class RunCommand
{
    public static Command Create(CliOutput output)
    {
        var experiment = new Option<string?>("--experiment", "-e") { Description = "Experiment to record into (created when missing). Default: Default." };
        var name = new Option<string?>("--name", "-n") { Description = "Run name. Default: the script's file name." };
        var param = new Option<string[]>("--param", "-p") { Description = "A param to record, as key=value; repeatable.", AllowMultipleArgumentsPerToken = false };
        var pattern = new Option<string?>("--metric-pattern") { Description = "Regex with named groups 'key' and 'value' (optional 'step') that finds metrics in output lines." };
        var interval = new Option<double>("--system-interval") { Description = "Seconds between system metric samples (CPU, RSS, GPU); 0 turns them off.", DefaultValueFactory = _ => 5 };
        var command = new Argument<string[]>("command") { Description = "The command to run, after --.", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("run", "Run a command as a tracked run: output, metrics printed as key=value, git state, system metrics.");
        cmd.Options.Add(experiment);
        cmd.Options.Add(name);
        cmd.Options.Add(param);
        cmd.Options.Add(pattern);
        cmd.Options.Add(interval);
        cmd.Arguments.Add(command);
        // Task.Run: a body that blocks the invoking thread keeps System.CommandLine from handing us Ctrl+C in time.
        cmd.SetAction((parse, cancel) => Task.Run(() => StoreSession.Run(parse, output, store =>
        {
            var parameters = ParseParams(parse.GetValue(param) ?? []); // before anything starts: a bad --param records nothing
            var experimentName = parse.GetValue(experiment) ?? Core.Runs.Experiment.DefaultName;
            using var artifacts = GlobalOptions.OpenArtifacts(parse, store);
            using var session = new SyncDisposable(TrackingSession.EnsureAsync(store, output.Error, cancel, artifacts).GetAwaiter().GetResult());
            var request = new LaunchRequest
            {
                Command = parse.GetValue(command)!,
                ExperimentName = experimentName,
                RunName = parse.GetValue(name),
                Params = parameters,
                Environment = session.Value.Endpoint.Environment(experimentName),
                MetricPattern = parse.GetValue(pattern),
                SystemMetricsInterval = TimeSpan.FromSeconds(parse.GetValue(interval)),
                EchoOutput = true,
                InheritStdin = true,
                OnRunCreated = id => output.Error.WriteLine($"mltrack: run {id} started (store {store.Location})"),
            };
            var result = new RunLauncher(store, artifacts).RunAsync(request, cancel).GetAwaiter().GetResult();
            output.Error.WriteLine($"mltrack: run {Format.ShortId(result.RunId)} {result.Status}" +
                (result.ExitCode is { } code ? $" (exit code {code})" : "") + $" in {Format.Duration((long)result.Duration.TotalMilliseconds)}" +
                (result.Error is { } err ? $": {err}" : "") + $" — see: mltrack show {Format.ShortId(result.RunId)}");
            return result.Status switch
            {
                Core.Runs.RunStatus.FINISHED => ExitCodes.Ok,
                Core.Runs.RunStatus.KILLED => 130,
                _ => result.ExitCode is { } x and > 0 ? x : ExitCodes.Error,
            };
        }), CancellationToken.None));
        return cmd;
    }

    /// <summary>Disposes an async session from the synchronous command body.</summary>
    private sealed class SyncDisposable(TrackingSession value) : IDisposable
    {
        public TrackingSession Value => value;
        public void Dispose() => value.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    public static Dictionary<string, string> ParseParams(IEnumerable<string> items)
    {
        var result = new Dictionary<string, string>();
        foreach (var item in items)
        {
            int eq = item.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--param '{item}' must be key=value (e.g. --param lr=0.01).");
            var key = item[..eq].Trim();
            if (NameRules.KeyProblem(key) is { } problem)
                throw new UsageException($"--param '{NameRules.Printable(item)}': invalid param key: {problem}.");
            if (result.TryGetValue(key, out var earlier) && earlier != item[(eq + 1)..])
                throw new UsageException($"--param '{key}' is given twice with different values ('{earlier}' and '{item[(eq + 1)..]}').");
            result[key] = item[(eq + 1)..];
        }
        return result;
    }
}
