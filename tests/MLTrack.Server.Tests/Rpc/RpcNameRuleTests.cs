using MLTrack.Core.Runs;
using MLTrack.Server.Rpc;

namespace MLTrack.Server.Tests.Rpc;

/// <summary>The RPC methods that take keys, names and filters apply the same rules as REST, naming what was wrong.</summary>
public sealed class RpcNameRuleTests : IAsyncLifetime
{
    private readonly RpcHarness _h = new();

    public Task InitializeAsync() => _h.InitializeAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Setting_a_tag_whose_key_holds_an_invisible_character_is_refused_naming_it()
    {
        var run = _h.Store.CreateRun(new NewRun { ExperimentId = Experiment.DefaultId });

        var (code, _, message) = await _h.ErrorOf(RpcMethods.RunsSetTag, new { runId = run.RunId, key = "owner\u202E", value = "me" });

        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("U+202E RIGHT-TO-LEFT OVERRIDE at position 5", message);
        Assert.Contains("'key'", message);
        Assert.Empty(_h.Store.GetRun(run.RunId).Tags);
    }

    [Fact]
    public async Task Launching_with_a_param_key_holding_a_newline_is_refused_before_a_run_is_recorded()
    {
        var (code, _, message) = await _h.ErrorOf(RpcMethods.RunsLaunch, new
        {
            command = new[] { "sh", "-c", "exit 0" },
            @params = new Dictionary<string, string> { ["lr\n"] = "0.1" },
        });

        Assert.Equal(RpcErrorCodes.InvalidParameterValue, code);
        Assert.Contains("U+000A LINE FEED (newline) at position 2", message);
        Assert.Empty(_h.Store.SearchRuns(new Core.Storage.RunQuery { ViewType = Core.Storage.ViewType.All }).Runs);
    }

    [Fact]
    public async Task A_2000_clause_filter_is_an_InvalidFilter_error_naming_the_limit()
    {
        var filter = string.Join(" and ", Enumerable.Range(0, 2000).Select(i => $"metrics.m{i} > 0"));

        var (code, data, message) = await _h.ErrorOf(RpcMethods.RunsList, new { filter });

        Assert.Equal(RpcErrorCodes.InvalidFilter, code);
        Assert.Equal("INVALID_PARAMETER_VALUE", data.GetProperty("errorCode").GetString());
        Assert.Contains("at most 100 comparisons", message);
        Assert.DoesNotContain("SQLite", message);
    }
}
