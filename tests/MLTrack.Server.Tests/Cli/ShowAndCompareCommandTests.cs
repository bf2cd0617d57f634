using System.Text.Json;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;

namespace MLTrack.Server.Tests.Cli;

public sealed class ShowAndCompareCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private (string A, string B) Seed()
    {
        using var store = _cli.OpenStore();
        var a = store.CreateRun(new NewRun { Name = "a", Git = new GitInfo("abc123", "main", null, false) });
        var b = store.CreateRun(new NewRun { Name = "b" });
        store.LogBatch(a.RunId, new RunBatch { Metrics = [new("loss", 0.5, 1, 1), new("loss", 0.2, 2, 2), new("acc", 0.8, 1, 2)], Params = [new("lr", "0.1"), new("seed", "1")] });
        store.LogBatch(b.RunId, new RunBatch { Metrics = [new("loss", 0.3, 1, 2), new("acc", 0.9, 1, 2)], Params = [new("lr", "0.01"), new("seed", "1")] });
        store.RecordArtifact(a.RunId, new ArtifactInfo("logs/output.log", 10, new string('f', 64)));
        return (a.RunId, b.RunId);
    }

    [Fact]
    public async Task Show_accepts_a_six_character_prefix_and_prints_metrics_with_min_and_max()
    {
        var (a, _) = Seed();
        var (exit, stdout, _) = await _cli.Run("show", a[..6]);
        Assert.Equal(0, exit);
        Assert.Contains(a, stdout);
        Assert.Contains("abc123 on main", stdout);
        Assert.Matches(@"loss\s+0\.2\s+2\s+0\.2\s+0\.5\s+2", stdout);
        Assert.Contains("logs/output.log", stdout);
    }

    [Fact]
    public async Task Show_json_has_git_params_metrics_and_artifacts()
    {
        var (a, _) = Seed();
        var (exit, stdout, _) = await _cli.Run("show", a, "--json");
        Assert.Equal(0, exit);
        var run = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("abc123", run.GetProperty("git").GetProperty("commit").GetString());
        Assert.Equal("0.1", run.GetProperty("params").GetProperty("lr").GetString());
        Assert.Equal(0.5, run.GetProperty("metrics").GetProperty("loss").GetProperty("max").GetDouble());
        Assert.Equal("logs/output.log", run.GetProperty("artifacts")[0].GetProperty("path").GetString());
    }

    [Fact]
    public async Task Show_of_an_unknown_run_exits_1_naming_it()
    {
        Seed();
        var (exit, _, stderr) = await _cli.Run("show", "0123456789");
        Assert.Equal(1, exit);
        Assert.Contains("'0123456789' not found", stderr);
    }

    [Fact]
    public async Task Compare_lists_differing_params_and_marks_the_best_metric()
    {
        var (a, b) = Seed();
        var (exit, stdout, _) = await _cli.Run("compare", a, b, "--json");
        Assert.Equal(0, exit);
        var doc = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["lr"], doc.GetProperty("params").EnumerateArray().Select(p => p.GetProperty("key").GetString()));
        var metrics = doc.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("key").GetString()!, m => m.GetProperty("best").GetString());
        Assert.Equal(a, metrics["loss"]); // 0.2 < 0.3: lower loss wins
        Assert.Equal(b, metrics["acc"]);
    }

    [Fact]
    public async Task Compare_table_marks_the_winner_with_a_star()
    {
        var (a, b) = Seed();
        var (exit, stdout, _) = await _cli.Run("compare", a[..8], b[..8]);
        Assert.Equal(0, exit);
        Assert.Matches(@"metrics\.loss\s+0\.2 \*\s+0\.3", stdout);
        Assert.Contains("params.lr", stdout);
        Assert.DoesNotContain("params.seed", stdout);
    }
}
