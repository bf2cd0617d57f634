using System.Net;
using MLTrack.Core.Metrics;
using MLTrack.Core.Storage;

namespace MLTrack.Server.Tests.Http;

/// <summary>Contract of GET /api/2.0/mlflow/metrics/get-history.</summary>
public sealed class MetricHistoryApiTests(ServerFixture f) : IClassFixture<ServerFixture>
{
    private async Task<string> RunWithPoints(int n)
    {
        var id = await f.CreateRunAsync();
        f.Store.LogMetrics(id, Enumerable.Range(0, n).Select(i => new MetricPoint("loss", 1.0 / (i + 1), 100 + i, i)).ToList());
        return id;
    }

    [Fact]
    public async Task Returns_every_point_in_step_order_with_key_value_timestamp_step()
    {
        var id = await RunWithPoints(4);

        var r = await f.GetAsync($"metrics/get-history?run_id={id}&metric_key=loss");

        Assert.Equal(HttpStatusCode.OK, r.Status);
        var points = r.Json.GetProperty("metrics").EnumerateArray().ToList();
        Assert.Equal([0L, 1, 2, 3], points.Select(p => p.GetProperty("step").GetInt64()));
        Assert.All(points, p => Assert.Equal("loss", p.GetProperty("key").GetString()));
        Assert.Equal(0.25, points[3].GetProperty("value").GetDouble());
        Assert.Equal(103, points[3].GetProperty("timestamp").GetInt64());
        Assert.False(r.Json.TryGetProperty("next_page_token", out _));
    }

    [Fact]
    public async Task Pages_over_the_points_with_max_results_and_page_token()
    {
        var id = await RunWithPoints(5);
        var steps = new List<long>();
        string? token = null;
        int pages = 0;

        do
        {
            var r = await f.GetAsync($"metrics/get-history?run_id={id}&metric_key=loss&max_results=2" + (token is null ? "" : "&page_token=" + Uri.EscapeDataString(token)));
            steps.AddRange(r.Json.GetProperty("metrics").EnumerateArray().Select(p => p.GetProperty("step").GetInt64()));
            token = r.Json.TryGetProperty("next_page_token", out var t) ? t.GetString() : null;
            pages++;
        } while (token is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal([0L, 1, 2, 3, 4], steps);
    }

    [Fact]
    public async Task An_unknown_key_has_an_empty_history()
    {
        var id = await f.CreateRunAsync();

        var r = await f.GetAsync($"metrics/get-history?run_id={id}&metric_key=nothing");

        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal(0, r.Json.GetProperty("metrics").GetArrayLength());
    }

    [Fact]
    public async Task An_unknown_run_is_RESOURCE_DOES_NOT_EXIST()
    {
        var r = await f.GetAsync($"metrics/get-history?run_id={Guid.NewGuid():N}&metric_key=loss");

        Assert.Equal(HttpStatusCode.NotFound, r.Status);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", r.ErrorCode);
    }

    [Fact]
    public async Task A_missing_metric_key_is_INVALID_PARAMETER_VALUE_naming_it()
    {
        var id = await f.CreateRunAsync();

        var r = await f.GetAsync($"metrics/get-history?run_id={id}");

        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains("metric_key", r.Message);
    }

    [Fact]
    public async Task A_non_numeric_max_results_is_400_naming_the_field()
    {
        var id = await RunWithPoints(1);

        var r = await f.GetAsync($"metrics/get-history?run_id={id}&metric_key=loss&max_results=lots");

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Contains("max_results", r.Message);
    }
}
