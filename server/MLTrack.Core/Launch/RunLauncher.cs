using MLTrack.Core.Artifacts;
using System.ComponentModel;
using System.Diagnostics;
using MLTrack.Core.Git;
using MLTrack.Core.Names;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Launch;

/// <summary>
/// Runs a command as a tracked run, with no change to the command: records the run (command, cwd, source file, git
/// state and diff, params), streams the process's output to the terminal and to <c>logs/output.log</c>, turns printed
/// metrics into points, samples system load, and records how it ended. Once the run is recorded nothing throws: every
/// failure ends as a FAILED (or KILLED) run with the reason in the <c>mltrack.error</c> tag, the log and
/// <see cref="LaunchResult.Error"/>.
/// </summary>
/// <param name="artifacts">Where the run's artifacts (log, diff) are stored; null: the store's local artifact folder.</param>
public sealed class RunLauncher(ITrackingStore store, IArtifactStore? artifacts = null)
{
    public const string LogArtifactPath = "logs/output.log";
    public const string DiffArtifactPath = "code.diff";
    public const string ErrorTag = "mltrack.error";
    public const string RunIdVariable = "MLTRACK_RUN_ID";
    public const string ExperimentIdVariable = "MLTRACK_EXPERIMENT_ID";

    // How long to keep reading after the process exited. Output normally ends at exit; a background process that
    // inherited the pipes can keep them open forever, and must not keep the run open with it.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan UnreadOutputTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the request to completion. Cancelling kills the whole process tree and records the run as KILLED.</summary>
    /// <exception cref="ArgumentException">
    /// Empty command, invalid <see cref="LaunchRequest.MetricPattern"/>, or a param key, run name or experiment name that
    /// <see cref="NameRules"/> refuses (<see cref="InvalidNameException"/>); checked before anything is recorded.
    /// </exception>
    /// <exception cref="StoreException">The run could not be recorded at all.</exception>
    public async Task<LaunchResult> RunAsync(LaunchRequest request, CancellationToken cancel = default)
    {
        if (request.Command.Count == 0 || string.IsNullOrEmpty(request.Command[0]))
            throw new ArgumentException("The command is empty: give the program to run and its arguments.", nameof(request));
        foreach (var key in request.Params.Keys) NameRules.CheckKey(key, "param");
        NameRules.CheckName(request.RunName, "run name");
        NameRules.CheckName(request.ExperimentName, "experiment name");
        var parser = new OutputMetricParser(request.MetricPattern);
        var cwd = Path.GetFullPath(request.Cwd ?? Directory.GetCurrentDirectory());
        var git = CaptureGit(cwd);
        var sourceFile = CommandLine.FindSourceFile(request.Command, cwd);
        var experiment = store.GetOrCreateExperiment(request.ExperimentName);
        var run = store.CreateRun(new NewRun
        {
            ExperimentId = experiment.ExperimentId,
            Name = string.IsNullOrWhiteSpace(request.RunName)
                ? NameRules.ReplaceInvisible(CommandLine.DefaultRunName(request.Command, sourceFile)) // a file name may hold anything
                : request.RunName,
            // Analytics group runs by person: git's user.name names them across machines; the OS user otherwise.
            User = git.Author ?? Environment.UserName,
            StartTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Command = CommandLine.Format(request.Command),
            Cwd = cwd,
            SourceFile = sourceFile,
            // Our own pid, not the child's: crash recovery asks "is the launcher that would finish this run alive?"
            Pid = Environment.ProcessId,
            Host = Environment.MachineName,
            Git = git.Info,
            ParentRunId = request.ParentRunId,
            ArtifactLocation = artifacts?.Location,
        });
        var clock = Stopwatch.StartNew();
        var session = new Session(store, run.RunId, experiment.ExperimentId, request, parser, cwd, artifacts);
        var outcome = await session.RunAsync(git, cancel).ConfigureAwait(false);
        return new LaunchResult(run.RunId, outcome.Status, outcome.ExitCode, clock.Elapsed, outcome.Error);
    }

    private static GitSnapshot CaptureGit(string cwd)
    {
        try
        {
            return Directory.Exists(cwd) ? GitCapture.Capture(cwd) : GitSnapshot.None;
        }
        catch (Exception)
        {
            return GitSnapshot.None; // git trouble must never stop a run
        }
    }

    /// <summary>What a signal-ended or plain exit code means for the run.</summary>
    internal static RunStatus StatusForExitCode(int exitCode) => exitCode switch
    {
        0 => RunStatus.FINISHED,
        < 0 => RunStatus.KILLED,
        // 128 + SIGHUP/SIGINT/SIGQUIT/SIGKILL/SIGTERM: someone (a user, the OOM killer, a scheduler) stopped it.
        // Other signals (SIGSEGV, SIGABRT, …) are the program failing, so they stay FAILED.
        129 or 130 or 131 or 137 or 143 => RunStatus.KILLED,
        _ => RunStatus.FAILED,
    };

    private readonly record struct Outcome(RunStatus Status, int? ExitCode, string? Error);

    /// <summary>One launch's moving parts, from the recorded run to its final status.</summary>
    private sealed class Session(ITrackingStore store, string runId, string experimentId, LaunchRequest request, OutputMetricParser parser, string cwd, IArtifactStore? artifacts)
    {
        private readonly RunArtifacts _artifacts = artifacts is null ? new(store, runId) : new(store, artifacts, runId);

        /// <summary>Every process the run starts inherits this environment entry, so it is found even after being orphaned.</summary>
        private string Marker => $"{RunIdVariable}={runId}";
        private OutputLog? _log;
        private MetricBatcher? _metrics;

        public async Task<Outcome> RunAsync(GitSnapshot git, CancellationToken cancel)
        {
            Outcome outcome;
            try
            {
                outcome = await RunCoreAsync(git, cancel).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                outcome = new Outcome(RunStatus.FAILED, null, $"Launcher error: {e.Message}");
                Note(outcome.Error!);
            }
            return await FinishAsync(outcome).ConfigureAwait(false);
        }

        private async Task<Outcome> RunCoreAsync(GitSnapshot git, CancellationToken cancel)
        {
            _log = new OutputLog(_artifacts.PrepareFile(LogArtifactPath));
            _metrics = new MetricBatcher(store, runId, e => Note($"Could not save metrics: {e.Message}"), _log.Flush);
            if (request.Params.Count > 0) store.LogParams(runId, request.Params);
            if (!string.IsNullOrEmpty(git.Diff))
            {
                try
                {
                    await _artifacts.WriteTextAsync(DiffArtifactPath, git.Diff, cancel).ConfigureAwait(false);
                }
                catch (ArtifactStoreException e)
                {
                    Note($"Could not store {DiffArtifactPath}: {e.Message}"); // the artifact store is down: the run itself goes on
                }
            }
            try
            {
                request.OnRunCreated?.Invoke(runId);
            }
            catch (Exception)
            {
                // The caller's notification failing is not the run failing.
            }
            if (!Directory.Exists(cwd)) return StartFailure($"Working directory not found: {cwd}", null);

            // Before the child: a launcher killed right after starting it must still take it along.
            using var guard = ChildGuard.Start(Marker, Note);
            using var process = new Process { StartInfo = StartInfo() };
            try
            {
                if (!process.Start()) return StartFailure($"Could not start {request.Command[0]}", 126);
                guard.Watch(process.Id);
            }
            catch (Win32Exception e)
            {
                return e.NativeErrorCode == 2 // ENOENT
                    ? StartFailure($"Command not found: {request.Command[0]}", 127)
                    : StartFailure($"Cannot run {request.Command[0]}: {e.Message}", 126);
            }
            try
            {
                return await SuperviseAsync(process, cancel).ConfigureAwait(false);
            }
            catch (Exception) when (!HasExited(process))
            {
                // Whatever went wrong on our side, never leave the user's processes running unsupervised.
                await ProcessTree.KillTreeAsync(process.Id, TimeSpan.Zero).ConfigureAwait(false);
                throw;
            }
        }

        private static bool HasExited(Process process)
        {
            try
            {
                return process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }

        /// <summary>From a started process to its outcome: pumps output, samples, waits, and on cancellation kills the tree.</summary>
        private async Task<Outcome> SuperviseAsync(Process process, CancellationToken cancel)
        {
            if (!request.InheritStdin) process.StandardInput.Close(); // an empty stdin: the child never reads our RPC channel
            var pid = process.Id;

            using var stopPumps = new CancellationTokenSource();
            var pumps = new[]
            {
                Pump(process.StandardOutput.BaseStream, OutputStreamKind.Stdout, request.EchoOutput ? Console.OpenStandardOutput() : null, stopPumps.Token),
                Pump(process.StandardError.BaseStream, OutputStreamKind.Stderr, request.EchoOutput ? Console.OpenStandardError() : null, stopPumps.Token),
            };
            await using var sampler = request.SystemMetricsInterval > TimeSpan.Zero
                ? new SystemMetricsSampler(pid, _metrics!.Add, request.SystemMetricsInterval)
                : null;
            sampler?.Start();

            var marker = Marker;
            var cancelled = false;
            try
            {
                // Forced yield: cancellation may come from an OnOutputLine callback, and the kill-and-drain below must
                // not then run on (and wait for) that very output pump.
                await process.WaitForExitAsync(cancel).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                Note("Cancelled: stopping the process and everything it started.");
                await ProcessTree.KillTreeAsync(pid, request.KillGracePeriod, marker).ConfigureAwait(false);
                await WaitForExitOrForceAsync(process).ConfigureAwait(false);
            }
            if (sampler is not null) await sampler.StopAsync().ConfigureAwait(false);

            var exitCode = process.ExitCode;
            var status = cancelled ? RunStatus.KILLED : StatusForExitCode(exitCode);
            // A process that died of a signal may leave background jobs behind (a terminal's Ctrl-C reaches the whole
            // foreground group, and background jobs ignore it): they must not outlive the run.
            var leftoversKilled = cancelled;
            if (!leftoversKilled && status == RunStatus.KILLED)
            {
                leftoversKilled = true;
                await ProcessTree.KillMarkedAsync(marker, request.KillGracePeriod).ConfigureAwait(false);
            }
            var drained = Task.WhenAll(pumps);
            await Task.WhenAny(drained, Task.Delay(DrainTimeout, cancel)).ConfigureAwait(false);
            // Still open with none of the run's processes alive: nobody holds the pipe, the rest is only unread (a
            // loaded machine): read it all rather than lose the last lines and their metrics.
            if (!drained.IsCompleted && !cancel.IsCancellationRequested && !ProcessTree.AnyMarkedAlive(marker))
                await Task.WhenAny(drained, Task.Delay(UnreadOutputTimeout, cancel)).ConfigureAwait(false);
            if (!leftoversKilled && cancel.IsCancellationRequested)
            {
                // Cancelled just after the process exited, while its background jobs still ran.
                Note("Cancelled: stopping what the process left running.");
                await ProcessTree.KillMarkedAsync(marker, request.KillGracePeriod).ConfigureAwait(false);
                await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None)).ConfigureAwait(false);
            }
            if (!drained.IsCompleted)
            {
                Note("Output stayed open after the process exited (a background process holds it); stopped reading.");
                await stopPumps.CancelAsync().ConfigureAwait(false);
                await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None)).ConfigureAwait(false);
            }
            return new Outcome(status, exitCode, null);
        }

        private ProcessStartInfo StartInfo()
        {
            var argv = request.Command;
            var program = argv[0];
            // A relative path with a slash means "relative to the working directory" to a shell; .NET would use ours.
            if (program.Contains('/') && !Path.IsPathRooted(program)) program = Path.GetFullPath(program, cwd);
            var psi = new ProcessStartInfo(program)
            {
                WorkingDirectory = cwd,
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = !request.InheritStdin,
            };
            foreach (var arg in argv.Skip(1)) psi.ArgumentList.Add(arg);
            psi.Environment["PYTHONUNBUFFERED"] = "1"; // Python block-buffers a pipe; we want prints live
            foreach (var (key, value) in request.Environment)
            {
                if (value is null) psi.Environment.Remove(key);
                else psi.Environment[key] = value;
            }
            psi.Environment[RunIdVariable] = runId;
            // mlflow.start_run() resumes MLFLOW_RUN_ID: only point it at our run when MLflow is pointed at our server.
            if (request.Environment.ContainsKey("MLFLOW_TRACKING_URI")) psi.Environment["MLFLOW_RUN_ID"] = runId;
            psi.Environment[ExperimentIdVariable] = experimentId;
            return psi;
        }

        private Task Pump(Stream source, OutputStreamKind kind, Stream? echo, CancellationToken stop) =>
            Task.Run(() => new OutputPump(source, kind, echo, _log!, OnLine, _metrics!.Touch).RunAsync(stop), CancellationToken.None);

        private void OnLine(OutputStreamKind kind, string text, bool truncated)
        {
            if (!truncated) _metrics!.Add(parser.Parse(text));
            try
            {
                request.OnOutputLine?.Invoke(runId, kind, text);
            }
            catch (Exception)
            {
                // A failing listener (an editor that went away) must not stop the output pump.
            }
        }

        private static async Task WaitForExitOrForceAsync(Process process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        private Outcome StartFailure(string reason, int? exitCode)
        {
            Note(reason);
            return new Outcome(RunStatus.FAILED, exitCode, reason);
        }

        /// <summary>A launcher message: into the log (marked as ours) and, when echoing, onto our stderr.</summary>
        private void Note(string message)
        {
            var line = $"[mltrack] {message}";
            _log?.WriteLine(line);
            _metrics?.Touch();
            if (!request.EchoOutput) return;
            try
            {
                Console.Error.WriteLine(line);
            }
            catch (IOException)
            {
            }
        }

        /// <summary>Writes what is pending and records the end. Store trouble here is reported, never thrown.</summary>
        private async Task<Outcome> FinishAsync(Outcome outcome)
        {
            var error = outcome.Error;
            void Try(Action step)
            {
                try
                {
                    step();
                }
                catch (Exception e)
                {
                    error ??= $"Could not finish recording the run: {e.Message}";
                }
            }
            Try(() => _metrics?.Dispose());
            Try(() => _log?.Dispose());
            if (_log is not null)
            {
                try
                {
                    await _artifacts.RecordAsync(LogArtifactPath).ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    // An artifact store that is down loses nothing: the log stays in the run's local folder.
                    error ??= $"Could not finish recording the run: {e.Message}";
                }
            }
            if (outcome.Error is not null) Try(() => store.SetTag(runId, ErrorTag, outcome.Error));
            Try(() => store.UpdateRun(runId, new RunUpdate
            {
                Status = outcome.Status,
                EndTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                ExitCode = outcome.ExitCode,
            }));
            return outcome with { Error = error };
        }
    }
}
