using MLTrack.Core.Launch;
using MLTrack.Core.Names;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Tests.Launch;

/// <summary>The launcher applies the store's name rule: to --param keys and names before recording, to output it parses.</summary>
public sealed class LaunchNameRuleTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private Task<LaunchResult> Launch(LaunchRequest request) =>
        new RunLauncher(_temp.Store).RunAsync(request with { Cwd = _temp.Folder, SystemMetricsInterval = TimeSpan.Zero });

    [Fact]
    public async Task A_param_key_with_a_tab_is_refused_before_anything_is_recorded()
    {
        var e = await Assert.ThrowsAsync<InvalidNameException>(() => Launch(new LaunchRequest
        {
            Command = ["sh", "-c", "exit 0"],
            Params = new Dictionary<string, string> { ["lr"] = "0.1", ["batch\tsize"] = "8" },
        }));

        Assert.Contains("U+0009 CHARACTER TABULATION (tab) at position 5", e.Message);
        Assert.Empty(_temp.Store.SearchRuns(new RunQuery { ViewType = ViewType.All }).Runs);
    }

    [Theory]
    [InlineData("evil\u202Etxt", null)]
    [InlineData(null, "exp\u200B")]
    public async Task A_run_or_experiment_name_with_an_invisible_character_is_refused_before_anything_is_recorded(string? runName, string? experiment)
    {
        await Assert.ThrowsAsync<InvalidNameException>(() => Launch(new LaunchRequest
        {
            Command = ["sh", "-c", "exit 0"],
            RunName = runName,
            ExperimentName = experiment ?? Experiment.DefaultName,
        }));

        Assert.Empty(_temp.Store.SearchRuns(new RunQuery { ViewType = ViewType.All }).Runs);
    }

    [Fact]
    public async Task A_script_whose_file_name_holds_a_control_character_still_runs_under_a_cleaned_name()
    {
        File.WriteAllText(Path.Combine(_temp.Folder, "train\u001B.py"), "print('loss=1')\n");

        var result = await Launch(new LaunchRequest { Command = ["python3", "train\u001B.py"] });

        Assert.Equal(RunStatus.FINISHED, result.Status);
        Assert.Equal("train?", _temp.Store.GetRun(result.RunId).Name);
    }

    [Fact]
    public void A_parsed_key_the_store_would_refuse_yields_no_point_and_the_others_are_kept()
    {
        var parser = new OutputMetricParser(@"(?<key>[^=\s]+)=(?<value>\S+)");

        var points = parser.Parse("acc=0.9 l\u200Boss=0.3 a//b=1 top:1=0.5", 1000);

        Assert.Equal(["acc", "top:1"], points.Select(p => p.Key));
    }
}
