using MLTrack.Core.Artifacts;
using System.Collections.Concurrent;
using MLTrack.Core.Launch;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Tests.Launch;

public sealed class RunLauncherTests : IDisposable
{
    private readonly TempStore _temp = new();
    private ITrackingStore Store => _temp.Store;

    public void Dispose() => _temp.Dispose();

    private Task<LaunchResult> Launch(params string[] argv) => Launch(new LaunchRequest { Command = argv, Cwd = _temp.Folder, SystemMetricsInterval = TimeSpan.Zero });

    private Task<LaunchResult> Launch(LaunchRequest request, CancellationToken cancel = default) =>
        new RunLauncher(Store).RunAsync(request with { Cwd = request.Cwd ?? _temp.Folder }, cancel);

    private string Log(string runId) => File.ReadAllText(new RunArtifacts(Store, runId).GetLocalPath(RunLauncher.LogArtifactPath));

    [Fact]
    public async Task Exit_code_zero_finishes_the_run()
    {
        var result = await Launch("sh", "-c", "exit 0");
        var run = Store.GetRun(result.RunId);
        Assert.Equal(RunStatus.FINISHED, result.Status);
        Assert.Equal(RunStatus.FINISHED, run.Status);
        Assert.Equal(0, run.ExitCode);
        Assert.NotNull(run.EndTime);
        Assert.Null(result.Error);
    }

    [Fact]
    public async Task A_nonzero_exit_code_fails_the_run_and_is_recorded()
    {
        var result = await Launch("sh", "-c", "exit 3");
        Assert.Equal(RunStatus.FAILED, result.Status);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal(3, Store.GetRun(result.RunId).ExitCode);
        Assert.Equal(RunStatus.FAILED, Store.GetRun(result.RunId).Status);
    }

    [Fact]
    public async Task A_process_killed_by_a_signal_is_recorded_killed()
    {
        var result = await Launch("sh", "-c", "kill -9 $$");
        Assert.Equal(RunStatus.KILLED, result.Status);
        Assert.Equal(137, result.ExitCode);
    }

    [Fact]
    public async Task The_run_records_command_cwd_source_file_user_host_and_the_launcher_pid()
    {
        File.WriteAllText(Path.Combine(_temp.Folder, "train.py"), "print('loss=1')\n");
        var result = await Launch(new LaunchRequest
        {
            Command = ["python3", "train.py", "--note", "two words"],
            ExperimentName = "vision",
            Params = new Dictionary<string, string> { ["lr"] = "0.1" },
            SystemMetricsInterval = TimeSpan.Zero,
        });
        var run = Store.GetRun(result.RunId);
        Assert.Equal("python3 train.py --note 'two words'", run.Command);
        Assert.Equal(_temp.Folder, run.Cwd);
        Assert.Equal(Path.Combine(_temp.Folder, "train.py"), run.SourceFile);
        Assert.Equal("train", run.Name);
        Assert.Equal(Environment.UserName, run.User);
        Assert.Equal(Environment.MachineName, run.Host);
        Assert.Equal(Environment.ProcessId, run.Pid);
        Assert.Equal("0.1", run.Params["lr"]);
        Assert.Equal(Store.FindExperimentByName("vision")!.ExperimentId, run.ExperimentId);
    }

    [Fact]
    public async Task Without_a_source_file_the_run_is_named_after_the_program()
    {
        var result = await Launch("sh", "-c", "true");
        Assert.Equal("sh", Store.GetRun(result.RunId).Name);
    }

    [Fact]
    public async Task The_child_sees_the_run_and_experiment_ids_and_extra_environment()
    {
        var lines = new ConcurrentQueue<string>();
        var result = await Launch(new LaunchRequest
        {
            Command = ["sh", "-c", "echo \"$MLTRACK_RUN_ID|$MLTRACK_EXPERIMENT_ID|$EXTRA|$PYTHONUNBUFFERED\""],
            Environment = new Dictionary<string, string?> { ["EXTRA"] = "yes" },
            OnOutputLine = (_, _, line) => lines.Enqueue(line),
            SystemMetricsInterval = TimeSpan.Zero,
        });
        var run = Store.GetRun(result.RunId);
        Assert.Equal([$"{run.RunId}|{run.ExperimentId}|yes|1"], lines);
    }

    [Fact]
    public async Task Printed_metrics_with_epochs_land_in_the_history()
    {
        var result = await Launch("python3", "-c", "for e in range(1, 4): print(f'epoch {e} loss={1 / e:.3f} acc={e / 10}')");
        var loss = Store.GetMetricHistory(result.RunId, "loss");
        Assert.Equal([1L, 2L, 3L], loss.Select(p => p.Step));
        Assert.Equal([1.0, 0.5, 0.333], loss.Select(p => p.Value));
        Assert.Equal(3, Store.GetMetricHistory(result.RunId, "acc").Count);
        Assert.Empty(Store.GetMetricHistory(result.RunId, "epoch"));
    }

    [Fact]
    public async Task Metrics_without_a_step_count_per_key()
    {
        var result = await Launch("sh", "-c", "echo loss=3; echo loss=2 acc=0.5; echo loss=1");
        Assert.Equal([1L, 2L, 3L], Store.GetMetricHistory(result.RunId, "loss").Select(p => p.Step));
        Assert.Equal([1L], Store.GetMetricHistory(result.RunId, "acc").Select(p => p.Step));
    }

    [Fact]
    public async Task Metrics_printed_on_stderr_are_parsed_too()
    {
        var result = await Launch("sh", "-c", "echo loss=0.5 >&2");
        Assert.Single(Store.GetMetricHistory(result.RunId, "loss"));
    }

    [Fact]
    public async Task A_custom_metric_pattern_replaces_the_default()
    {
        var result = await Launch(new LaunchRequest
        {
            Command = ["sh", "-c", "echo '[5] loss -> 0.25'; echo 'other=1'"],
            MetricPattern = @"\[(?<step>\d+)\] (?<key>\w+) -> (?<value>\S+)",
            SystemMetricsInterval = TimeSpan.Zero,
        });
        var loss = Assert.Single(Store.GetMetricHistory(result.RunId, "loss"));
        Assert.Equal((5L, 0.25), (loss.Step, loss.Value));
        Assert.Empty(Store.GetMetricHistory(result.RunId, "other"));
    }

    [Fact]
    public async Task An_invalid_metric_pattern_is_refused_before_anything_runs()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Launch(new LaunchRequest { Command = ["true"], MetricPattern = "(" }));
        Assert.Empty(Store.SearchRuns(new RunQuery()).Runs);
    }

    [Fact]
    public async Task Stdout_and_stderr_are_captured_in_the_log_artifact()
    {
        var result = await Launch("sh", "-c", "echo to-out; sleep 0.2; echo to-err >&2");
        Assert.Equal("to-out\nto-err\n", Log(result.RunId));
        var artifact = Assert.Single(Store.ListArtifacts(result.RunId));
        Assert.Equal(RunLauncher.LogArtifactPath, artifact.Path);
        Assert.Equal(14, artifact.Size);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("to-out\nto-err\n"u8)), artifact.Sha256);
    }

    /// <summary>
    /// For each of 9 lines printed 270 ms apart: how long after the launcher read it (the listener is called then) its
    /// point is in the store, and its text in the log file. What a launcher killed with -9 loses is what it had read
    /// but not yet written; a write on a timer (every 250 ms) left that at 125 ms on average.
    /// </summary>
    private async Task<(List<double> Points, List<double> Log)> DelaysAfterReading()
    {
        var pointDelays = new ConcurrentBag<double>();
        var logDelays = new ConcurrentBag<double>();
        var checks = new ConcurrentBag<Task>();
        string? logPath = null;
        var result = await Launch(new LaunchRequest
        {
            Command = ["python3", "-c", "import time\nfor i in range(1, 10):\n    print(f'loss={i}', flush=True)\n    time.sleep(0.27)"],
            OnRunCreated = id => logPath = new RunArtifacts(Store, id).GetLocalPath(RunLauncher.LogArtifactPath),
            OnOutputLine = (id, _, line) =>
            {
                var count = int.Parse(line["loss=".Length..]);
                checks.Add(Task.Run(() =>
                {
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    bool pointIn = false, logIn = false;
                    while (clock.Elapsed < TimeSpan.FromSeconds(2) && !(pointIn && logIn))
                    {
                        if (!pointIn && Store.GetMetricHistory(id, "loss").Count >= count)
                        {
                            pointIn = true;
                            pointDelays.Add(clock.Elapsed.TotalMilliseconds);
                        }
                        if (!logIn && ReadShared(logPath!).Contains(line + "\n", StringComparison.Ordinal))
                        {
                            logIn = true;
                            logDelays.Add(clock.Elapsed.TotalMilliseconds);
                        }
                        Thread.Sleep(2);
                    }
                }));
            },
            SystemMetricsInterval = TimeSpan.Zero,
        });
        await Task.WhenAll(checks);
        Assert.Equal(RunStatus.FINISHED, result.Status);
        return ([.. pointDelays.Order()], [.. logDelays.Order()]);
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }

    [Fact]
    public async Task A_printed_point_is_in_the_store_moments_after_its_line_is_read()
    {
        var (points, _) = await DelaysAfterReading();
        Assert.Equal(9, points.Count);
        Assert.True(points[4] < 50, $"median {points[4]:0} ms from reading a line to its point in the store ({string.Join(", ", points.Select(d => $"{d:0}"))})");
    }

    [Fact]
    public async Task A_printed_line_is_in_the_log_file_moments_after_it_is_read()
    {
        var (_, log) = await DelaysAfterReading();
        Assert.Equal(9, log.Count);
        Assert.True(log[4] < 50, $"median {log[4]:0} ms from reading a line to it in the log file ({string.Join(", ", log.Select(d => $"{d:0}"))})");
    }

    [Fact]
    public async Task Output_lines_are_streamed_to_the_listener_with_their_stream()
    {
        var lines = new ConcurrentQueue<(string, OutputStreamKind, string)>();
        var result = await Launch(new LaunchRequest
        {
            Command = ["sh", "-c", "echo a; sleep 0.2; echo b >&2"],
            OnOutputLine = (id, kind, line) => lines.Enqueue((id, kind, line)),
            SystemMetricsInterval = TimeSpan.Zero,
        });
        Assert.Equal([(result.RunId, OutputStreamKind.Stdout, "a"), (result.RunId, OutputStreamKind.Stderr, "b")], lines);
    }

    [Fact]
    public async Task A_missing_command_fails_the_run_with_the_reason()
    {
        var result = await Launch("mltrack-no-such-command-xyz", "--flag");
        var run = Store.GetRun(result.RunId);
        Assert.Equal(RunStatus.FAILED, result.Status);
        Assert.Equal(127, result.ExitCode);
        Assert.Contains("Command not found: mltrack-no-such-command-xyz", result.Error);
        Assert.Equal(RunStatus.FAILED, run.Status);
        Assert.Contains("Command not found", run.Tags[RunLauncher.ErrorTag]);
        Assert.Contains("Command not found: mltrack-no-such-command-xyz", Log(result.RunId));
    }

    [Fact]
    public async Task A_missing_working_directory_fails_the_run_with_the_reason()
    {
        var result = await Launch(new LaunchRequest { Command = ["true"], Cwd = Path.Combine(_temp.Folder, "nope"), SystemMetricsInterval = TimeSpan.Zero });
        Assert.Equal(RunStatus.FAILED, result.Status);
        Assert.Contains("Working directory not found", Store.GetRun(result.RunId).Tags[RunLauncher.ErrorTag]);
    }

    [Fact]
    public async Task Cancelling_kills_the_whole_process_tree_and_marks_the_run_killed()
    {
        var pids = new ConcurrentQueue<int>();
        using var cancel = new CancellationTokenSource();
        var running = Launch(new LaunchRequest
        {
            // The shell prints its own pid and its background child's, then waits on the child.
            Command = ["sh", "-c", "echo $$; sleep 1000 & echo $!; wait"],
            OnOutputLine = (_, _, line) =>
            {
                pids.Enqueue(int.Parse(line));
                if (pids.Count == 2) cancel.Cancel();
            },
            SystemMetricsInterval = TimeSpan.Zero,
        }, cancel.Token);

        var result = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(RunStatus.KILLED, result.Status);
        Assert.Equal(RunStatus.KILLED, Store.GetRun(result.RunId).Status);
        Assert.Equal(2, pids.Count);
        Assert.All(pids, pid => Assert.True(ChildProcess.WaitUntil(() => !ProcessTree.IsAlive(pid), TimeSpan.FromSeconds(10)), $"pid {pid} survived"));
    }

    [Fact]
    public async Task Background_processes_left_by_a_child_killed_by_a_signal_are_killed_too()
    {
        // As when a terminal's Ctrl-C kills the shell but not its background job (which ignores SIGINT).
        var pids = new ConcurrentQueue<int>();
        var result = await Launch(new LaunchRequest
        {
            Command = ["sh", "-c", "sleep 1000 & echo $!; sleep 0.2; kill -INT $$"],
            OnOutputLine = (_, _, line) => pids.Enqueue(int.Parse(line)),
            SystemMetricsInterval = TimeSpan.Zero,
        }).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(RunStatus.KILLED, result.Status);
        var orphan = Assert.Single(pids);
        Assert.True(ChildProcess.WaitUntil(() => !ProcessTree.IsAlive(orphan), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_background_process_holding_the_output_open_does_not_keep_the_run_open()
    {
        var pids = new ConcurrentQueue<int>();
        var result = await Launch(new LaunchRequest
        {
            Command = ["sh", "-c", "sleep 1000 & echo $!"],
            OnOutputLine = (_, _, line) => pids.Enqueue(int.Parse(line)),
            SystemMetricsInterval = TimeSpan.Zero,
        }).WaitAsync(TimeSpan.FromSeconds(20));
        try
        {
            Assert.Equal(RunStatus.FINISHED, result.Status);
        }
        finally
        {
            foreach (var pid in pids) await ProcessTree.KillTreeAsync(pid, TimeSpan.FromSeconds(1));
        }
    }

    [Fact]
    public async Task Invalid_utf8_output_is_logged_with_replacement_characters_and_parsing_goes_on()
    {
        var result = await Launch("sh", "-c", @"printf 'bad \377\376 bytes\nloss=0.5\n'");
        Assert.Equal(RunStatus.FINISHED, result.Status);
        Assert.Equal("bad \uFFFD\uFFFD bytes\nloss=0.5\n", Log(result.RunId));
        Assert.Single(Store.GetMetricHistory(result.RunId, "loss"));
    }

    [Fact]
    public async Task A_ten_megabyte_line_without_newline_is_logged_whole_but_only_its_head_is_passed_on()
    {
        var lines = new ConcurrentQueue<string>();
        var result = await Launch(new LaunchRequest
        {
            Command = ["python3", "-c", "import sys\nsys.stdout.write('x' * 10_000_000)\nsys.stdout.write('\\nloss=0.5')"],
            OnOutputLine = (_, _, line) => lines.Enqueue(line),
            SystemMetricsInterval = TimeSpan.Zero,
        });
        Assert.Equal(RunStatus.FINISHED, result.Status);
        Assert.Equal(10_000_000 + "\nloss=0.5\n".Length, new FileInfo(new RunArtifacts(Store, result.RunId).GetLocalPath(RunLauncher.LogArtifactPath)).Length);
        Assert.Equal([OutputPump.MaxLineChars, 8], lines.Select(l => l.Length));
        Assert.Single(Store.GetMetricHistory(result.RunId, "loss")); // the last line, without newline, still counts
    }

    [Fact]
    public async Task System_metrics_are_sampled_at_the_requested_interval()
    {
        var result = await Launch(new LaunchRequest { Command = ["sleep", "1.2"], SystemMetricsInterval = TimeSpan.FromMilliseconds(200) });
        var keys = Store.GetMetricSummaries(result.RunId).ToDictionary(s => s.Key);
        Assert.True(keys[SystemMetricsSampler.CpuPercentKey].Count >= 2);
        Assert.True(keys[SystemMetricsSampler.MemoryRssMbKey].Latest > 0);
    }

    [Fact]
    public async Task The_new_run_id_is_announced_before_the_process_starts()
    {
        string? announced = null;
        var result = await Launch(new LaunchRequest { Command = ["true"], OnRunCreated = id => announced = id, SystemMetricsInterval = TimeSpan.Zero });
        Assert.Equal(result.RunId, announced);
    }

    [Fact]
    public async Task A_parent_run_is_recorded()
    {
        var parent = await Launch("true");
        var child = await Launch(new LaunchRequest { Command = ["true"], ParentRunId = parent.RunId, SystemMetricsInterval = TimeSpan.Zero });
        Assert.Equal(parent.RunId, Store.GetRun(child.RunId).ParentRunId);
    }

    [Fact]
    public async Task Uncommitted_changes_are_saved_as_the_code_diff_artifact_with_the_git_state()
    {
        var repo = Path.Combine(_temp.Folder, "repo");
        Directory.CreateDirectory(repo);
        void Git(params string[] args)
        {
            using var git = ChildProcess.Start("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@e", .. args]);
            Assert.True(git.Process.WaitForExit(30_000));
            Assert.Equal(0, git.Process.ExitCode);
        }
        Git("init", "-q");
        File.WriteAllText(Path.Combine(repo, "train.py"), "print(1)\n");
        Git("add", "train.py");
        Git("commit", "-q", "-m", "first");
        File.WriteAllText(Path.Combine(repo, "train.py"), "print(2)\n");

        var result = await Launch(new LaunchRequest { Command = ["true"], Cwd = repo, SystemMetricsInterval = TimeSpan.Zero });

        var run = Store.GetRun(result.RunId);
        Assert.NotNull(run.Git.Commit);
        Assert.True(run.Git.Dirty);
        Assert.Contains(Store.ListArtifacts(result.RunId), a => a.Path == RunLauncher.DiffArtifactPath);
        Assert.Contains("+print(2)", File.ReadAllText(new RunArtifacts(Store, result.RunId).GetLocalPath(RunLauncher.DiffArtifactPath)));
    }

    [Fact]
    public async Task A_run_launched_in_a_git_repository_is_recorded_under_gits_user_name()
    {
        var repo = Path.Combine(_temp.Folder, "repo");
        Directory.CreateDirectory(repo);
        foreach (var args in new[] { new[] { "init", "-q" }, ["config", "user.name", "Grace Hopper"] })
        {
            using var git = ChildProcess.Start("git", ["-C", repo, .. args]);
            Assert.True(git.Process.WaitForExit(30_000));
        }

        var result = await Launch(new LaunchRequest { Command = ["true"], Cwd = repo, SystemMetricsInterval = TimeSpan.Zero });

        Assert.Equal("Grace Hopper", Store.GetRun(result.RunId).User);
    }

    [Theory]
    [InlineData(0, RunStatus.FINISHED)]
    [InlineData(1, RunStatus.FAILED)]
    [InlineData(139, RunStatus.FAILED)] // SIGSEGV: the program crashed
    [InlineData(130, RunStatus.KILLED)] // SIGINT
    [InlineData(143, RunStatus.KILLED)] // SIGTERM
    [InlineData(-1, RunStatus.KILLED)]
    public void Exit_codes_map_to_statuses(int exitCode, RunStatus status) =>
        Assert.Equal(status, RunLauncher.StatusForExitCode(exitCode));
}
