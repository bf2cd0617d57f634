using MLTrack.Core.Storage;

namespace MLTrack.Server.Tests.Cli;

/// <summary>The CLI refuses what the store would (bad --param keys, names, huge filters) as usage errors, exit 2.</summary>
public sealed class NameRuleCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task A_param_key_with_a_tab_exits_2_naming_the_character_and_records_nothing()
    {
        var (exit, _, stderr) = await _cli.Run("run", "--param", "batch\tsize=8", "--system-interval", "0", "--", "true");

        Assert.Equal(2, exit);
        Assert.Contains("U+0009 CHARACTER TABULATION (tab) at position 5", stderr);
        Assert.Contains("batch\\tsize", stderr);
        using var store = _cli.OpenStore();
        Assert.Empty(store.SearchRuns(new RunQuery { ViewType = ViewType.All }).Runs);
    }

    [Fact]
    public async Task A_run_name_with_a_right_to_left_override_exits_2()
    {
        var (exit, _, stderr) = await _cli.Run("run", "--name", "report\u202Efdp.exe", "--system-interval", "0", "--", "true");

        Assert.Equal(2, exit);
        Assert.Contains("U+202E RIGHT-TO-LEFT OVERRIDE at position 6", stderr);
    }

    [Fact]
    public async Task A_2000_clause_filter_exits_2_naming_the_limit()
    {
        var filter = string.Join(" and ", Enumerable.Range(0, 2000).Select(i => $"metrics.m{i} > 0"));

        var (exit, _, stderr) = await _cli.Run("runs", "-f", filter);

        Assert.Equal(2, exit);
        Assert.Contains("at most 100 comparisons", stderr);
        Assert.DoesNotContain("SQLite", stderr);
    }
}
