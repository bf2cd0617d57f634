using MLTrack.Core.Artifacts;
using MLTrack.Core.Launch;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Tests.Launch;

public sealed class CrashRecoveryTests : IDisposable
{
    private readonly TempStore _temp = new();
    private ITrackingStore Store => _temp.Store;

    public void Dispose() => _temp.Dispose();

    private Run StartRun(int pid, string? host = null, long? startTime = null) =>
        Store.CreateRun(new NewRun { Pid = pid, Host = host ?? Environment.MachineName, StartTime = startTime });

    private static int DeadPid()
    {
        using var gone = ChildProcess.Start("true");
        gone.Process.WaitForExit();
        return gone.Pid;
    }

    [Fact]
    public void A_run_whose_launcher_died_is_marked_crashed_and_keeps_its_metrics()
    {
        var run = StartRun(DeadPid());
        Store.LogMetric(run.RunId, "loss", 0.5, 1);
        Store.LogMetric(run.RunId, "loss", 0.4, 2);

        var marked = CrashRecovery.MarkCrashedRuns(Store);

        Assert.Equal([run.RunId], marked);
        var after = Store.GetRun(run.RunId);
        Assert.Equal(RunStatus.CRASHED, after.Status);
        Assert.NotNull(after.EndTime);
        Assert.Equal(2, Store.GetMetricHistory(run.RunId, "loss").Count);
    }

    [Fact]
    public void A_run_whose_launcher_is_alive_is_left_running()
    {
        var run = StartRun(Environment.ProcessId);
        Assert.Empty(CrashRecovery.MarkCrashedRuns(Store));
        Assert.Equal(RunStatus.RUNNING, Store.GetRun(run.RunId).Status);
    }

    [Fact]
    public void A_run_whose_launcher_died_stays_running_while_a_process_it_started_lives()
    {
        var run = StartRun(DeadPid());
        var psi = new System.Diagnostics.ProcessStartInfo("sleep", "1000") { UseShellExecute = false };
        psi.Environment[RunLauncher.RunIdVariable] = run.RunId; // what every process the launcher started inherits
        using var leftover = System.Diagnostics.Process.Start(psi)!;
        try
        {
            Assert.Empty(CrashRecovery.MarkCrashedRuns(Store));
            Assert.Equal(RunStatus.RUNNING, Store.GetRun(run.RunId).Status);
        }
        finally
        {
            leftover.Kill();
            leftover.WaitForExit();
        }

        Assert.Equal([run.RunId], CrashRecovery.MarkCrashedRuns(Store));
    }

    [Fact]
    public void A_run_from_another_host_is_left_running()
    {
        var run = StartRun(DeadPid(), host: "some-other-machine");
        Assert.Empty(CrashRecovery.MarkCrashedRuns(Store));
        Assert.Equal(RunStatus.RUNNING, Store.GetRun(run.RunId).Status);
    }

    [Fact]
    public void A_pid_reused_by_a_process_started_after_the_run_counts_as_dead()
    {
        using var newer = ChildProcess.Start("sleep", "1000");
        var run = StartRun(newer.Pid, startTime: DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds());
        Assert.Equal([run.RunId], CrashRecovery.MarkCrashedRuns(Store));
    }

    [Fact]
    public void Finished_runs_are_not_touched()
    {
        var run = StartRun(DeadPid());
        Store.UpdateRun(run.RunId, new RunUpdate { Status = RunStatus.FINISHED, EndTime = 5 });
        Assert.Empty(CrashRecovery.MarkCrashedRuns(Store));
        Assert.Equal(RunStatus.FINISHED, Store.GetRun(run.RunId).Status);
    }

    [Fact]
    public void The_log_left_by_a_dead_launcher_is_recorded()
    {
        var run = StartRun(DeadPid());
        new RunArtifacts(Store, run.RunId).PrepareFile(RunLauncher.LogArtifactPath);
        File.WriteAllText(new RunArtifacts(Store, run.RunId).GetLocalPath(RunLauncher.LogArtifactPath), "epoch 1\n");
        CrashRecovery.MarkCrashedRuns(Store);
        Assert.Equal(8, Assert.Single(Store.ListArtifacts(run.RunId)).Size);
    }
}
