using System.Net;
using MLTrack.Core.Storage;

namespace MLTrack.Server.Tests.Http;

/// <summary>Contract of POST /api/2.0/mlflow/runs/search: filter and order_by pass through to the store's MLflow syntax.</summary>
public sealed class SearchRunsApiTests(ServerFixture f) : IClassFixture<ServerFixture>
{
    /// <summary>An experiment with runs whose acc metric is 0.1, 0.2, ... in creation order.</summary>
    private async Task<(string Exp, List<string> Runs)> Experiment(int runs)
    {
        var exp = await f.CreateExperimentAsync();
        var ids = new List<string>();
        for (int i = 0; i < runs; i++)
        {
            var id = await f.CreateRunAsync(exp);
            f.Store.LogMetric(id, "acc", (i + 1) / 10.0, 0, 1);
            ids.Add(id);
        }
        return (exp, ids);
    }

    private static List<string> Ids(ApiResponse r) =>
        r.Json.GetProperty("runs").EnumerateArray().Select(x => x.GetProperty("info").GetProperty("run_id").GetString()!).ToList();

    [Fact]
    public async Task Returns_the_runs_of_the_experiments_in_mlflow_shape()
    {
        var (exp, ids) = await Experiment(2);

        var r = await f.PostAsync("runs/search", new { experiment_ids = new[] { exp } });

        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal(ids.Order(), Ids(r).Order());
        var run = r.Json.GetProperty("runs")[0];
        Assert.True(run.GetProperty("info").TryGetProperty("run_uuid", out _));
        Assert.Equal("acc", run.GetProperty("data").GetProperty("metrics")[0].GetProperty("key").GetString());
    }

    [Fact]
    public async Task Pages_with_max_results_and_page_token()
    {
        var (exp, ids) = await Experiment(5);
        var seen = new List<string>();
        string? token = null;
        int pages = 0;

        do
        {
            var r = await f.PostAsync("runs/search", new { experiment_ids = new[] { exp }, max_results = 2, page_token = token });
            seen.AddRange(Ids(r));
            token = r.Json.TryGetProperty("next_page_token", out var t) ? t.GetString() : null;
            pages++;
        } while (token is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(ids.Order(), seen.Order());
    }

    [Fact]
    public async Task Filter_passes_through_to_the_store()
    {
        var (exp, ids) = await Experiment(4);

        var r = await f.PostAsync("runs/search", new { experiment_ids = new[] { exp }, filter = "metrics.acc > 0.25" });

        Assert.Equal(ids.Skip(2).Order(), Ids(r).Order());
    }

    [Fact]
    public async Task Order_by_passes_through_to_the_store()
    {
        var (exp, ids) = await Experiment(3);

        var asc = await f.PostAsync("runs/search", new { experiment_ids = new[] { exp }, order_by = new[] { "metrics.acc ASC" } });
        var desc = await f.PostAsync("runs/search", new { experiment_ids = new[] { exp }, order_by = new[] { "metrics.acc DESC" } });

        Assert.Equal(ids, Ids(asc));
        Assert.Equal(Enumerable.Reverse(ids), Ids(desc));
    }

    [Fact]
    public async Task A_malformed_filter_is_INVALID_PARAMETER_VALUE_mentioning_the_position()
    {
        var (exp, _) = await Experiment(1);

        var r = await f.PostAsync("runs/search", new { experiment_ids = new[] { exp }, filter = "metrics.acc >> 1" });

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Matches("position \\d+", r.Message);
    }

    [Fact]
    public async Task A_malformed_order_by_is_INVALID_PARAMETER_VALUE()
    {
        var r = await f.PostAsync("runs/search", new { order_by = new[] { "metrics.acc SIDEWAYS" } });

        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
    }

    [Fact]
    public async Task Max_results_above_50000_is_refused()
    {
        var r = await f.PostAsync("runs/search", new { max_results = 50001 });

        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains("50000", r.Message);
    }

    [Fact]
    public async Task A_forged_page_token_is_refused()
    {
        var r = await f.PostAsync("runs/search", new { page_token = "not-a-token" });

        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
    }

    [Fact]
    public async Task Run_view_type_selects_deleted_runs()
    {
        var (exp, ids) = await Experiment(2);
        await f.PostAsync("runs/delete", new { run_id = ids[0] });

        var active = await f.PostAsync("runs/search", new { experiment_ids = new[] { exp } });
        var deleted = await f.PostAsync("runs/search", new { experiment_ids = new[] { exp }, run_view_type = "DELETED_ONLY" });
        var all = await f.PostAsync("runs/search", new { experiment_ids = new[] { exp }, run_view_type = "ALL" });

        Assert.Equal([ids[1]], Ids(active));
        Assert.Equal([ids[0]], Ids(deleted));
        Assert.Equal(2, Ids(all).Count);
    }
}
