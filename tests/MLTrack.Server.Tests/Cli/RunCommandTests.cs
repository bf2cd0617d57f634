using System.Diagnostics;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;

namespace MLTrack.Server.Tests.Cli;

public sealed class RunCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task A_tracked_command_is_recorded_with_its_params_and_printed_metrics()
    {
        var (exit, _, stderr) = await _cli.Run("run", "--experiment", "demo", "--param", "lr=0.1", "--system-interval", "0", "--",
            "sh", "-c", "echo 'epoch 1 loss=0.5'; echo 'epoch 2 loss=0.25'");
        Assert.Equal(0, exit);
        Assert.Contains("FINISHED", stderr);
        using var store = _cli.OpenStore();
        var run = Assert.Single(store.SearchRuns(new RunQuery()).Runs);
        Assert.Equal((RunStatus.FINISHED, "0.1"), (run.Status, run.Params["lr"]));
        Assert.Equal("demo", store.GetExperiment(run.ExperimentId).Name);
        Assert.Equal([(1L, 0.5), (2L, 0.25)], store.GetMetricHistory(run.RunId, "loss").Select(p => (p.Step, p.Value)));
    }

    [Fact]
    public async Task The_exit_code_of_a_failing_command_is_passed_on()
    {
        var (exit, _, _) = await _cli.Run("run", "--system-interval", "0", "--", "sh", "-c", "exit 3");
        Assert.Equal(3, exit);
        using var store = _cli.OpenStore();
        Assert.Equal(RunStatus.FAILED, Assert.Single(store.SearchRuns(new RunQuery()).Runs).Status);
    }

    [Fact]
    public async Task A_param_without_equals_sign_exits_2_and_records_nothing()
    {
        var (exit, _, stderr) = await _cli.Run("run", "--param", "lr", "--", "true");
        Assert.Equal(2, exit);
        Assert.Contains("key=value", stderr);
        using var store = _cli.OpenStore();
        Assert.Empty(store.SearchRuns(new RunQuery()).Runs);
    }

    [Fact]
    public async Task A_command_that_does_not_exist_is_recorded_as_failed_with_the_reason()
    {
        var (exit, _, stderr) = await _cli.Run("run", "--system-interval", "0", "--", "no-such-program-xyz");
        Assert.Equal(127, exit);
        using var store = _cli.OpenStore();
        var run = Assert.Single(store.SearchRuns(new RunQuery()).Runs);
        Assert.Equal(RunStatus.FAILED, run.Status);
        Assert.Contains("no-such-program-xyz", run.Tags["mltrack.error"]);
        Assert.Contains("no-such-program-xyz", stderr);
    }

    [Fact]
    public async Task A_launcher_killed_with_sigkill_leaves_a_run_that_the_next_command_marks_crashed()
    {
        using var launcher = _cli.Start("run", "--system-interval", "0", "--", "sh", "-c", "echo 'step 1 loss=0.9'; echo 'step 2 loss=0.8'; exec sleep 60");
        string runId = await WaitForPoints(2);
        var child = FindChildSleep(launcher.Id);
        launcher.Kill(entireProcessTree: false); // SIGKILL: no chance to clean up
        await launcher.WaitForExitAsync();
        child?.Kill();

        var (exit, _, _) = await _cli.Run("runs", "--json");
        Assert.Equal(0, exit);
        using var store = _cli.OpenStore();
        var run = store.GetRun(runId);
        Assert.Equal(RunStatus.CRASHED, run.Status);
        Assert.NotNull(run.EndTime);
        Assert.Equal([0.9, 0.8], store.GetMetricHistory(runId, "loss").Select(p => p.Value));
    }

    [Fact]
    public async Task Ctrl_c_stops_the_whole_process_tree_and_marks_the_run_killed()
    {
        using var launcher = _cli.Start("run", "--system-interval", "0", "--", "sh", "-c", "sleep 300 & echo 'step 1 loss=0.9'; wait");
        string runId = await WaitForPoints(1);
        var shell = await WaitForChild(launcher.Id, "sh");
        var sleep = await WaitForChild(shell.Id, "sleep"); // forked before the echo, but it may not have exec'd yet
        using (var kill = Process.Start("kill", ["-INT", launcher.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
        Assert.True(launcher.WaitForExit(20_000), "the launcher did not exit after SIGINT");
        Assert.Equal(130, launcher.ExitCode);
        Assert.True(sleep.WaitForExit(5_000), "the child's background process survived");
        using var store = _cli.OpenStore();
        Assert.Equal(RunStatus.KILLED, store.GetRun(runId).Status);
    }

    private async Task<string> WaitForPoints(int count)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (File.Exists(_cli.StorePath))
            {
                using var store = _cli.OpenStore();
                if (store.SearchRuns(new RunQuery()).Runs is [var run] && store.GetMetricHistory(run.RunId, "loss").Count >= count)
                    return run.RunId;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the launcher did not record the run's first points within 30 s");
    }

    private static Process? FindChildSleep(int parentPid) => FindChild(parentPid, null);

    private static async Task<Process> WaitForChild(int parentPid, string name)
    {
        for (int i = 0; i < 100; i++)
        {
            if (FindChild(parentPid, name) is { } p) return p;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no '{name}' child of pid {parentPid} within 5 s");
    }

    private static Process? FindChild(int parentPid, string? name)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var comm = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                // The launcher's watchdog is a child too (a /bin/sh), not the run's process.
                var watchdog = File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("mltrack-watchdog", StringComparison.Ordinal);
                if (int.Parse(fields[1]) == parentPid && !watchdog && (name is null || comm == name)) return Process.GetProcessById(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { }
        }
        return null;
    }
}
