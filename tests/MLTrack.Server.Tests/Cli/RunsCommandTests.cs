using System.Text.Json;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;

namespace MLTrack.Server.Tests.Cli;

public sealed class RunsCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private void Seed()
    {
        using var store = _cli.OpenStore();
        var e = store.CreateExperiment("vision");
        foreach (var (name, acc, lr) in new[] { ("a", 0.7, "0.1"), ("b", 0.95, "0.01"), ("c", 0.8, "0.01") })
        {
            var run = store.CreateRun(new NewRun { ExperimentId = e.ExperimentId, Name = name });
            store.LogBatch(run.RunId, new RunBatch { Metrics = [new("acc", acc, 1, 1)], Params = [new("lr", lr)] });
            store.UpdateRun(run.RunId, new RunUpdate { Status = RunStatus.FINISHED, EndTime = run.StartTime + 1000 });
        }
    }

    [Fact]
    public async Task Sorting_by_a_metric_descending_puts_the_best_run_first()
    {
        Seed();
        var (exit, stdout, _) = await _cli.Run("runs", "--sort", "metrics.acc", "--desc");
        Assert.Equal(0, exit);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0]);
        Assert.Contains("acc", lines[0]);
        Assert.Contains(" b ", lines[1]);
        Assert.Contains("0.95", lines[1]);
    }

    [Fact]
    public async Task Json_output_lists_runs_with_params_and_metrics()
    {
        Seed();
        var (exit, stdout, _) = await _cli.Run("runs", "--filter", "params.lr = '0.01'", "--sort", "metrics.acc", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        var runs = doc.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(["c", "b"], runs.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(0.95, runs[1].GetProperty("metrics").GetProperty("acc").GetProperty("latest").GetDouble());
        Assert.Equal("vision", runs[1].GetProperty("experiment").GetString());
        Assert.Equal(1000, runs[1].GetProperty("duration_ms").GetInt64());
    }

    [Fact]
    public async Task A_filter_that_matches_nothing_prints_no_runs_and_succeeds()
    {
        Seed();
        var (exit, stdout, _) = await _cli.Run("runs", "--filter", "metrics.acc > 2", "--json");
        Assert.Equal(0, exit);
        Assert.Empty(JsonDocument.Parse(stdout).RootElement.GetProperty("runs").EnumerateArray());
    }

    [Fact]
    public async Task A_broken_filter_exits_2_with_the_position()
    {
        Seed();
        var (exit, _, stderr) = await _cli.Run("runs", "--filter", "metrics.acc >> 2");
        Assert.Equal(2, exit);
        Assert.Contains("position 13", stderr);
        Assert.Contains("             ^", stderr);
    }

    [Fact]
    public async Task Experiment_option_restricts_runs_and_an_unknown_one_is_an_error()
    {
        Seed();
        var (exit, stdout, _) = await _cli.Run("runs", "--experiment", "vision", "--json");
        Assert.Equal(0, exit);
        Assert.Equal(3, JsonDocument.Parse(stdout).RootElement.GetProperty("runs").GetArrayLength());
        var (bad, _, stderr) = await _cli.Run("runs", "--experiment", "nope");
        Assert.Equal(1, bad);
        Assert.Contains("nope", stderr);
    }

    [Fact]
    public async Task Experiments_lists_run_counts()
    {
        Seed();
        var (exit, stdout, _) = await _cli.Run("experiments", "--json");
        Assert.Equal(0, exit);
        var vision = JsonDocument.Parse(stdout).RootElement.GetProperty("experiments").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "vision");
        Assert.Equal(3, vision.GetProperty("runs").GetInt32());
    }
}
