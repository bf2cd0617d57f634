using MLTrack.Core.Analytics;
using Microsoft.Extensions.Time.Testing;
using static MLTrack.Core.Tests.Analytics.AnalyticsStoreFixture;

namespace MLTrack.Core.Tests.Analytics;

/// <summary>Analytics over a real store; every test runs on SQLite and on PostgreSQL (the subclasses below).</summary>
public abstract class HeatmapTests : IDisposable
{
    private readonly AnalyticsStoreFixture _f;
    private readonly AnalyticsService _service;

    protected HeatmapTests(bool postgres)
    {
        _f = new AnalyticsStoreFixture(postgres);
        _service = new AnalyticsService(_f.Store, new FakeTimeProvider(DateTimeOffset.Parse("2026-06-10T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
    }

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    private Heatmap Map(string from, string to, string? user = null) =>
        _service.Heatmap(new AnalyticsQuery { From = Ms(from), To = Ms(to), TimeZone = "UTC", Scope = new RunScope(null, user) });

    [Fact]
    public void Every_day_of_the_window_is_present_with_its_weekday()
    {
        var map = Map("2026-06-01T00:00:00Z", "2026-06-15T00:00:00Z");
        Assert.Equal(14, map.Days.Count);
        Assert.Equal("2026-06-01", map.Days[0].Date);
        Assert.Equal(0, map.Days[0].Weekday); // a Monday
        Assert.Equal(6, map.Days[6].Weekday);
        Assert.True(map.IsEmpty);
        Assert.Equal(0, map.Coverage);
    }

    [Fact]
    public void Days_carry_their_runs_failures_and_distinct_experiments()
    {
        var a = _f.Experiment("a");
        _f.Run("2026-06-02T08:00:00Z", experimentId: a);
        _f.Run("2026-06-02T09:00:00Z", Runs.RunStatus.FAILED);
        _f.Run("2026-06-02T10:00:00Z");
        var day = Map("2026-06-01T00:00:00Z", "2026-06-08T00:00:00Z").Days.Single(d => d.Date == "2026-06-02");
        Assert.Equal((3, 1, 2), (day.Runs, day.Failed, day.Experiments));
        Assert.Equal(Ms("2026-06-02T00:00:00Z"), day.Start);
        Assert.Equal(Ms("2026-06-03T00:00:00Z"), day.End);
    }

    [Fact]
    public void Coverage_is_the_share_of_days_with_a_run_and_streaks_count_consecutive_ones()
    {
        foreach (var d in new[] { "01", "02", "03", "05", "09", "10" }) _f.Run($"2026-06-{d}T12:00:00Z");
        var map = Map("2026-06-01T00:00:00Z", "2026-06-11T00:00:00Z");
        Assert.Equal(10, map.Days.Count);
        Assert.Equal(6, map.ActiveDays);
        Assert.Equal(0.6, map.Coverage, 9);
        Assert.Equal(3, map.LongestStreak);
        Assert.Equal(2, map.CurrentStreak);
        Assert.Equal(6, map.TotalRuns);
    }

    [Fact]
    public void The_current_streak_survives_a_last_day_without_runs_yet()
    {
        foreach (var d in new[] { "07", "08", "09" }) _f.Run($"2026-06-{d}T12:00:00Z");
        Assert.Equal(3, Map("2026-06-01T00:00:00Z", "2026-06-11T00:00:00Z").CurrentStreak);
    }

    [Fact]
    public void A_user_filter_counts_only_that_users_runs()
    {
        _f.Run("2026-06-02T08:00:00Z", user: "ada");
        _f.Run("2026-06-02T09:00:00Z", user: "bob");
        Assert.Equal(1, Map("2026-06-01T00:00:00Z", "2026-06-08T00:00:00Z", "bob").TotalRuns);
    }

    [Fact]
    public void A_window_of_several_years_is_still_cut_into_days()
    {
        var map = Map("2020-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
        Assert.Equal(2192, map.Days.Count);
        Assert.Equal("2025-12-31", map.Days[^1].Date);
    }

    [Fact]
    public void Without_a_range_the_last_52_weeks_and_this_week_are_shown()
    {
        var map = _service.Heatmap(new AnalyticsQuery { TimeZone = "UTC" });
        Assert.Equal("2025-06-09", map.Days[0].Date); // the Monday 52 weeks before this week's Monday (2026-06-08)
        Assert.Equal("2026-06-10", map.Days[^1].Date);
        Assert.Equal(0, map.Days[0].Weekday);
    }
}

public sealed class SqliteHeatmapTests() : HeatmapTests(postgres: false);

public sealed class PostgresHeatmapTests() : HeatmapTests(postgres: true);
