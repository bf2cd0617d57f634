using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Server.Rpc;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Tests.Rpc;

/// <summary>Launching real processes and hearing about them: runs/changed and log/append.</summary>
public sealed class RpcNotificationTests : IAsyncLifetime
{
    private readonly RpcHarness _h = new();

    public Task InitializeAsync() => _h.InitializeAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_launched_run_reports_creation_output_lines_and_its_final_status()
    {
        var launched = await _h.Call<LaunchResultDto>(RpcMethods.RunsLaunch, new
        {
            command = new[] { "sh", "-c", "echo epoch 1 loss=0.5; echo oops >&2" },
            experiment = "from-editor",
            name = "quick",
            @params = new Dictionary<string, string> { ["lr"] = "0.1" },
        });
        Assert.Equal(32, launched.RunId.Length);

        await _h.Notifications.WaitFor<RunChangedParams>(c => c.RunId == launched.RunId && c.Kind == "created");
        var stdout = await _h.Notifications.WaitFor<LogAppendParams>(l => l.RunId == launched.RunId && l.Stream == "stdout");
        Assert.Contains("epoch 1 loss=0.5", stdout.Lines);
        await _h.Notifications.WaitFor<LogAppendParams>(l => l.RunId == launched.RunId && l.Stream == "stderr" && l.Lines.Contains("oops"));
        await _h.Notifications.WaitFor<RunChangedParams>(c => c.RunId == launched.RunId && c.Status == "FINISHED");

        var run = await _h.Call<RunDetail>(RpcMethods.RunsGet, new { runId = launched.RunId });
        Assert.Equal(("FINISHED", "from-editor", "quick", "0.1"), (run.Status, run.ExperimentName, run.Name, run.Params["lr"]));
        Assert.Equal(0.5, run.Metrics.Single(m => m.Key == "loss").Latest);
        Assert.True(run.LaunchedHere);
        // The created notification came once, before any status.
        var changes = _h.Notifications.RunChanges.Where(c => c.RunId == launched.RunId).ToList();
        Assert.Equal("created", changes[0].Kind);
        Assert.Single(changes, c => c.Kind == "created");
    }

    [Fact]
    public async Task A_python_script_is_launched_with_the_interpreter_in_the_workspace()
    {
        var script = Path.Combine(_h.Workspace, "train.py");
        await File.WriteAllTextAsync(script, "import os\nprint('cwd', os.getcwd())\nprint('acc=0.75')\n");
        var launched = await _h.Call<LaunchResultDto>(RpcMethods.RunsLaunch, new { file = "train.py", interpreter = "python3" });
        await _h.Notifications.WaitFor<RunChangedParams>(c => c.RunId == launched.RunId && c.Status == "FINISHED");
        var run = await _h.Call<RunDetail>(RpcMethods.RunsGet, new { runId = launched.RunId });
        Assert.Equal((script, _h.Workspace, "train"), (run.SourceFile, run.Cwd, run.Name));
        Assert.Contains(_h.Notifications.Logs, l => l.RunId == launched.RunId && l.Lines.Contains("cwd " + _h.Workspace));
    }

    [Fact]
    public async Task Stopping_kills_the_run_and_stopping_twice_is_harmless()
    {
        var launched = await _h.Call<LaunchResultDto>(RpcMethods.RunsLaunch, new { command = new[] { "sh", "-c", "echo started; sleep 30" } });
        await _h.Notifications.WaitFor<LogAppendParams>(l => l.RunId == launched.RunId && l.Lines.Contains("started"));
        var first = await _h.Call<StopResult>(RpcMethods.RunsStop, new { runId = launched.RunId });
        Assert.Equal((true, "KILLED"), (first.Stopped, first.Status));
        var second = await _h.Call<StopResult>(RpcMethods.RunsStop, new { runId = launched.RunId });
        Assert.Equal((false, "KILLED"), (second.Stopped, second.Status));
        await _h.Notifications.WaitFor<RunChangedParams>(c => c.RunId == launched.RunId && c.Status == "KILLED");
    }

    [Fact]
    public async Task A_command_that_does_not_exist_still_gives_a_run_that_fails()
    {
        var launched = await _h.Call<LaunchResultDto>(RpcMethods.RunsLaunch, new { command = new[] { "/no/such/program" } });
        await _h.Notifications.WaitFor<RunChangedParams>(c => c.RunId == launched.RunId && c.Status == "FAILED");
    }

    [Fact]
    public async Task A_launch_without_file_or_command_is_InvalidParams()
    {
        var (code, _, _) = await _h.ErrorOf(RpcMethods.RunsLaunch, new { interpreter = "python3" });
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
    }

    [Fact]
    public async Task Runs_written_by_another_process_are_noticed_by_polling()
    {
        // Another writer on the same file (as the HTTP server or a CLI run would be).
        using var other = Core.Storage.Sqlite.SqliteTrackingStore.Open(_h.Store.Location);
        var run = other.CreateRun(new NewRun { Name = "from-python" });
        var created = await _h.Notifications.WaitFor<RunChangedParams>(c => c.RunId == run.RunId && c.Kind == "created");
        Assert.Equal(("RUNNING", "from-python"), (created.Status, created.Name));

        other.LogMetric(run.RunId, "loss", 0.25, 1);
        var metrics = await _h.Notifications.WaitFor<RunChangedParams>(c => c.RunId == run.RunId && c.Kind == "metrics");
        Assert.Equal(0.25, metrics.Metrics!["loss"]);

        other.UpdateRun(run.RunId, new RunUpdate { Status = RunStatus.FINISHED, EndTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        await _h.Notifications.WaitFor<RunChangedParams>(c => c.RunId == run.RunId && c.Kind == "status" && c.Status == "FINISHED");
    }

    [Fact]
    public async Task Notifications_for_one_run_are_coalesced()
    {
        using var other = Core.Storage.Sqlite.SqliteTrackingStore.Open(_h.Store.Location);
        var run = other.CreateRun(new NewRun { Name = "chatty" });
        await _h.Notifications.WaitFor<RunChangedParams>(c => c.RunId == run.RunId && c.Kind == "created");
        var started = DateTime.UtcNow;
        for (int i = 0; i < 200; i++)
        {
            other.LogMetric(run.RunId, "loss", 1.0 / (i + 1), i);
            await _h.Call(RpcMethods.RunsSetTag, new { runId = run.RunId, key = "i", value = i.ToString() });
        }
        var elapsed = DateTime.UtcNow - started;
        await Task.Delay(300);
        var count = _h.Notifications.RunChanges.Count(c => c.RunId == run.RunId && c.Kind != "created");
        // RunChangeInterval is 100 ms in the harness: at most one per interval, plus one in flight.
        Assert.InRange(count, 1, (int)(elapsed.TotalMilliseconds / 100) + 3);
    }
}
