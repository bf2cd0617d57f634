using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Server.Rpc;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Tests.Rpc;

/// <summary>analytics/* and preferences/* over an in-process connection, as the panels call them.</summary>
public sealed class RpcAnalyticsTests : IAsyncLifetime
{
    private readonly RpcHarness _h = new();

    public async Task InitializeAsync() => await _h.InitializeAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static long Ms(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private void Seed(string startUtc, RunStatus status, string user, double accuracy)
    {
        var run = _h.Store.CreateRun(new NewRun { StartTime = Ms(startUtc), User = user });
        _h.Store.LogMetric(run.RunId, "accuracy", accuracy, 0);
        _h.Store.UpdateRun(run.RunId, new RunUpdate { Status = status, EndTime = Ms(startUtc) + 1_800_000 });
    }

    [Fact]
    public async Task Time_series_answers_per_day_buckets_totals_and_the_metric_best()
    {
        Seed("2026-03-02T10:00:00Z", RunStatus.FINISHED, "ada", 0.8);
        Seed("2026-03-02T11:00:00Z", RunStatus.FAILED, "bob", 0.9);
        Seed("2026-03-04T11:00:00Z", RunStatus.FINISHED, "ada", 0.7);
        var r = await _h.Call<TimeSeriesResult>(RpcMethods.AnalyticsTimeSeries, new
        {
            from = Ms("2026-03-02T00:00:00Z"),
            to = Ms("2026-03-05T00:00:00Z"),
            granularity = "day",
            timeZone = "UTC",
            metricKey = "accuracy",
        });
        Assert.Equal("day", r.Granularity);
        Assert.Equal(["2026-03-02", "2026-03-03", "2026-03-04"], r.Buckets.Select(b => b.Label));
        Assert.Equal([2, 0, 1], r.Buckets.Select(b => b.RunsStarted));
        Assert.Equal([0.9, null, 0.7], r.Buckets.Select(b => b.MetricBest));
        Assert.Equal("max", r.MetricGoal);
        Assert.Equal(new ActivityTotalsDto(3, 2, 1, 1.5, 1, 2), r.Totals);
        Assert.False(r.Empty);
    }

    [Fact]
    public async Task A_range_that_starts_after_it_ends_is_refused_with_the_reason()
    {
        var (code, data, message) = await _h.ErrorOf(RpcMethods.AnalyticsTimeSeries, new { from = Ms("2026-03-05T00:00:00Z"), to = Ms("2026-03-01T00:00:00Z") });
        Assert.Equal(RpcErrorCodes.InvalidParameterValue, code);
        Assert.Equal("INVALID_PARAMETER_VALUE", data.GetProperty("errorCode").GetString());
        Assert.Contains("after it ends", message);
    }

    [Fact]
    public async Task An_empty_range_answers_empty_not_an_error()
    {
        var r = await _h.Call<HeatmapResult>(RpcMethods.AnalyticsHeatmap, new { from = Ms("2026-03-02T00:00:00Z"), to = Ms("2026-03-09T00:00:00Z"), timeZone = "UTC" });
        Assert.True(r.Empty);
        Assert.Equal(7, r.Days.Count);
        Assert.All(r.Days, d => Assert.Equal(0, d.Runs));
    }

    [Fact]
    public async Task Facets_list_the_users_and_metric_keys()
    {
        Seed("2026-03-02T10:00:00Z", RunStatus.FINISHED, "bob", 0.8);
        Seed("2026-03-02T11:00:00Z", RunStatus.FINISHED, "ada", 0.9);
        var r = await _h.Call<AnalyticsFacetsResult>(RpcMethods.AnalyticsFacets);
        Assert.Equal(["ada", "bob"], r.Users);
        Assert.Equal(["accuracy"], r.MetricKeys);
    }

    [Fact]
    public async Task Production_without_deployments_answers_an_empty_list()
    {
        var r = await _h.Call<ProductionResult>(RpcMethods.AnalyticsProduction, new { preset = "24h" });
        Assert.Empty(r.Deployments);
        Assert.Equal("hour", r.Granularity);
    }

    [Fact]
    public async Task Setting_a_preference_answers_the_merged_preferences_and_notifies_every_client()
    {
        var r = await _h.Call<PreferencesResult>(RpcMethods.PreferencesSet, new { user = "ada", values = new { chartXAxis = "wall" } });
        Assert.Equal(("ada", "wall", "normal"), (r.User, r.Preferences.ChartXAxis, r.Preferences.TableDensity));
        var changed = await _h.Notifications.WaitFor<PreferencesResult>(p => p.User == "ada");
        Assert.Equal("wall", changed.Preferences.ChartXAxis);
        Assert.Equal("wall", (await _h.Call<PreferencesResult>(RpcMethods.PreferencesGet, new { user = "ada" })).Preferences.ChartXAxis);
    }

    [Fact]
    public async Task A_bad_preference_value_is_refused_by_name()
    {
        var (code, _, message) = await _h.ErrorOf(RpcMethods.PreferencesSet, new { values = new { tableDensity = "tiny" } });
        Assert.Equal(RpcErrorCodes.InvalidParameterValue, code);
        Assert.Contains("tableDensity", message);
    }
}
