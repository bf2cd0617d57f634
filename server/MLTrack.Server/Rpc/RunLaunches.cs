using MLTrack.Server.Launch;
using System.Collections.Concurrent;
using MLTrack.Core.Launch;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Rpc;

/// <summary>
/// Runs launched from the editor: each goes through <see cref="RunLauncher"/> (the same capture as <c>mltrack run</c>)
/// on a background task owned by this process. The caller gets the run id as soon as the run is recorded; output
/// lines stream out as log/append, start and end as runs/changed. Stopping cancels the launch, which kills the
/// process tree and records the run KILLED.
/// </summary>
public sealed class RunLaunches(ITrackingStore store, MLTrack.Core.Artifacts.IArtifactStore artifacts, RpcNotifier notifier, RpcOptions options,
    Func<Task<TrackingEndpoint?>> tracking)
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, Launch> _launches = new();

    private sealed class Launch
    {
        public readonly CancellationTokenSource Cancel = new();
        public readonly TaskCompletionSource<LaunchResult> Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public bool IsLaunchedHere(string runId) => _launches.ContainsKey(runId);

    public bool IsRunning(string runId) => _launches.TryGetValue(runId, out var l) && !l.Done.Task.IsCompleted;

    public async Task<LaunchResultDto> LaunchAsync(LaunchParams p, string? workspaceFolder, CancellationToken cancellationToken)
    {
        var (command, cwd) = BuildCommand(p, workspaceFolder);
        var experimentName = string.IsNullOrWhiteSpace(p.Experiment) ? Experiment.DefaultName : p.Experiment;
        var environment = await tracking().ConfigureAwait(false) is { } endpoint
            ? endpoint.Environment(experimentName)
            : new Dictionary<string, string?>();
        foreach (var (k, v) in p.Env ?? new Dictionary<string, string>()) environment[k] = v;

        var launch = new Launch();
        var created = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = new LaunchRequest
        {
            Command = command,
            ExperimentName = experimentName,
            RunName = p.Name,
            Params = p.Params ?? new Dictionary<string, string>(),
            Cwd = cwd,
            Environment = environment,
            EchoOutput = false,
            InheritStdin = false,
            SystemMetricsInterval = options.SystemMetricsInterval,
            KillGracePeriod = options.KillGracePeriod,
            OnOutputLine = notifier.AppendLog,
            OnRunCreated = runId =>
            {
                _launches[runId] = launch;
                notifier.RunChanged(runId, RunChangeKind.Created, nameof(RunStatus.RUNNING));
                created.TrySetResult(runId);
            },
        };
        var running = Task.Run(() => new RunLauncher(store, artifacts).RunAsync(request, launch.Cancel.Token), CancellationToken.None);
        _ = running.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully)
            {
                var result = t.Result;
                notifier.RunChanged(result.RunId, RunChangeKind.Status, result.Status.ToString());
                launch.Done.TrySetResult(result);
            }
            else
            {
                launch.Done.TrySetException(t.Exception?.InnerException ?? new InvalidOperationException("The launch failed."));
                created.TrySetException(t.Exception?.InnerException ?? new InvalidOperationException("The launch failed."));
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        if (await Task.WhenAny(created.Task, running).ConfigureAwait(false) == running && !created.Task.IsCompleted)
            await running.ConfigureAwait(false); // failed before the run was recorded: rethrows (ArgumentException, StoreException)
        var id = await created.Task.ConfigureAwait(false);
        return new LaunchResultDto(id, store.GetRun(id).ExperimentId);
    }

    /// <summary>Stops a run launched here and waits until it is recorded; false when it was not running here.</summary>
    public async Task<(bool Stopped, RunStatus Status)> StopAsync(string runId)
    {
        if (_launches.TryGetValue(runId, out var launch) && !launch.Done.Task.IsCompleted)
        {
            try
            {
                await launch.Cancel.CancelAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
            }
            try
            {
                var result = await launch.Done.Task.WaitAsync(StopWait).ConfigureAwait(false);
                return (true, result.Status);
            }
            catch (TimeoutException)
            {
                return (true, store.GetRun(runId).Status);
            }
        }
        return (false, store.GetRun(runId).Status);
    }

    /// <summary>Stops every run still going (shutdown); each is recorded KILLED.</summary>
    public async Task StopAllAsync()
    {
        var stops = _launches.Where(x => !x.Value.Done.Task.IsCompleted).Select(x => StopAsync(x.Key)).ToList();
        try
        {
            await Task.WhenAll(stops).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // shutting down: a failed stop is already recorded or will be by crash recovery
        }
    }

    internal static (IReadOnlyList<string> Command, string Cwd) BuildCommand(LaunchParams p, string? workspaceFolder)
    {
        if (p.Command is { Count: > 0 } explicitCommand)
        {
            if (explicitCommand.Any(string.IsNullOrEmpty)) throw RpcException.InvalidParams("'command' must not contain empty items.");
            var dir = p.Cwd ?? workspaceFolder ?? Environment.CurrentDirectory;
            return (explicitCommand.ToList(), Path.GetFullPath(dir));
        }
        var file = RpcException.Require(p.File, "file");
        var baseDir = p.Cwd ?? workspaceFolder;
        var fullFile = Path.GetFullPath(file, baseDir ?? Environment.CurrentDirectory);
        var cwd = Path.GetFullPath(p.Cwd ?? workspaceFolder ?? Path.GetDirectoryName(fullFile)!);
        var interpreter = string.IsNullOrWhiteSpace(p.Interpreter) ? "python3" : p.Interpreter;
        // The launcher sets PYTHONUNBUFFERED, so prints arrive as lines while the script runs.
        var command = new List<string> { interpreter, fullFile };
        command.AddRange(p.Args ?? []);
        return (command, cwd);
    }
}
