using MLTrack.Core.Analytics;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using Microsoft.Extensions.Time.Testing;
using static MLTrack.Core.Tests.Analytics.AnalyticsStoreFixture;

namespace MLTrack.Core.Tests.Analytics;

/// <summary>Analytics over a real store; every test runs on SQLite and on PostgreSQL (the subclasses below).</summary>
public abstract class AnalyticsServiceTests : IDisposable
{
    private readonly AnalyticsStoreFixture _f;
    private readonly AnalyticsService _service;

    protected AnalyticsServiceTests(bool postgres)
    {
        _f = new AnalyticsStoreFixture(postgres);
        _service = new AnalyticsService(_f.Store, new FakeTimeProvider(DateTimeOffset.Parse("2026-06-30T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture)));
    }

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    private TimeSeries Series(string from, string to, string granularity, string zone = "UTC", RunScope? scope = null, string? metric = null) =>
        _service.TimeSeries(new AnalyticsQuery { From = Ms(from), To = Ms(to), Granularity = granularity, TimeZone = zone, Scope = scope ?? RunScope.All }, metric);

    [Fact]
    public void Runs_are_counted_per_day_in_the_day_they_started()
    {
        _f.Run("2026-06-01T08:00:00Z");
        _f.Run("2026-06-01T20:00:00Z", RunStatus.FAILED);
        _f.Run("2026-06-03T09:00:00Z", RunStatus.CRASHED);
        _f.Run("2026-06-03T10:00:00Z", RunStatus.RUNNING);
        var s = Series("2026-06-01T00:00:00Z", "2026-06-04T00:00:00Z", "day");
        Assert.Equal(["2026-06-01", "2026-06-02", "2026-06-03"], s.Periods.Select(p => p.Label));
        Assert.Equal([2, 0, 2], s.Activity.Select(a => a.Started));
        Assert.Equal([1, 0, 0], s.Activity.Select(a => a.Finished));
        Assert.Equal([1, 0, 1], s.Activity.Select(a => a.Failed));
    }

    [Fact]
    public void Compute_hours_sum_the_durations_of_runs_that_ended()
    {
        _f.Run("2026-06-01T08:00:00Z", hours: 1.5);
        _f.Run("2026-06-01T09:00:00Z", RunStatus.FAILED, hours: 0.25);
        _f.Run("2026-06-01T10:00:00Z", RunStatus.RUNNING);
        var s = Series("2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z", "day");
        Assert.Equal(1.75, s.Activity[0].ComputeHours, 6);
    }

    [Fact]
    public void Weeks_and_months_count_the_same_runs_in_coarser_periods()
    {
        foreach (var day in new[] { "2026-06-01", "2026-06-07", "2026-06-08", "2026-07-01" }) _f.Run(day + "T12:00:00Z");
        var weeks = Series("2026-06-01T00:00:00Z", "2026-07-06T00:00:00Z", "week");
        Assert.Equal([2, 1, 0, 0, 1], weeks.Activity.Select(a => a.Started));
        var months = Series("2026-06-01T00:00:00Z", "2026-08-01T00:00:00Z", "month");
        Assert.Equal(["2026-06", "2026-07"], months.Periods.Select(p => p.Label));
        Assert.Equal([3, 1], months.Activity.Select(a => a.Started));
    }

    [Fact]
    public void Hours_count_runs_per_local_hour()
    {
        _f.Run("2026-06-01T08:05:00Z");
        _f.Run("2026-06-01T08:55:00Z");
        _f.Run("2026-06-01T10:00:00Z");
        var s = Series("2026-06-01T08:00:00Z", "2026-06-01T11:00:00Z", "hour");
        Assert.Equal([2, 0, 1], s.Activity.Select(a => a.Started));
    }

    [Fact]
    public void A_run_late_in_the_UTC_evening_counts_on_the_next_local_day_east_of_Greenwich()
    {
        _f.Run("2026-06-01T23:30:00Z"); // 01:30 on 2 June in Berlin (+02:00)
        var utc = Series("2026-06-01T00:00:00Z", "2026-06-03T00:00:00Z", "day");
        var berlin = Series("2026-06-01T00:00:00Z", "2026-06-03T00:00:00Z", "day", "Europe/Berlin");
        Assert.Equal("2026-06-01", DayWithRuns(utc));
        Assert.Equal("2026-06-02", DayWithRuns(berlin));
    }

    private static string DayWithRuns(TimeSeries s) => s.Periods[s.Activity.ToList().FindIndex(a => a.Started > 0)].Label;

    [Fact]
    public void Runs_in_the_extra_autumn_hour_land_on_the_25_hour_day()
    {
        _f.Run("2026-10-25T00:30:00Z"); // 02:30 CEST, the first 02:30
        _f.Run("2026-10-25T01:30:00Z"); // 02:30 CET, the second
        _f.Run("2026-10-25T22:59:00Z"); // 23:59 CET, still the 25th
        var s = Series("2026-10-24T22:00:00Z", "2026-10-26T23:00:00Z", "day", "Europe/Berlin");
        Assert.Equal(["2026-10-25", "2026-10-26"], s.Periods.Select(p => p.Label));
        Assert.Equal([3, 0], s.Activity.Select(a => a.Started));
    }

    [Fact]
    public void Distinct_experiments_and_users_over_the_window_are_not_the_sum_of_the_periods()
    {
        var a = _f.Experiment("a");
        var b = _f.Experiment("b");
        _f.Run("2026-06-01T08:00:00Z", experimentId: a, user: "ada");
        _f.Run("2026-06-02T08:00:00Z", experimentId: a, user: "ada");
        _f.Run("2026-06-02T09:00:00Z", experimentId: b, user: "bob");
        var s = Series("2026-06-01T00:00:00Z", "2026-06-03T00:00:00Z", "day");
        Assert.Equal([1, 2], s.Activity.Select(x => x.Experiments));
        Assert.Equal([1, 2], s.Activity.Select(x => x.Users));
        Assert.Equal(2, s.Totals.Experiments);
        Assert.Equal(2, s.Totals.Users);
        Assert.Equal(3, s.Totals.Started);
    }

    [Fact]
    public void Scope_limits_the_runs_to_an_experiment_and_a_user()
    {
        var a = _f.Experiment("a");
        _f.Run("2026-06-01T08:00:00Z", experimentId: a, user: "ada");
        _f.Run("2026-06-01T09:00:00Z", experimentId: a, user: "bob");
        _f.Run("2026-06-01T10:00:00Z", user: "ada");
        Assert.Equal(2, Series("2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z", "day", scope: new RunScope([a])).Totals.Started);
        Assert.Equal(1, Series("2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z", "day", scope: new RunScope([a], "bob")).Totals.Started);
    }

    [Fact]
    public void Per_experiment_aggregates_count_each_experiments_runs_users_and_newest_start()
    {
        var a = _f.Experiment("a");
        var b = _f.Experiment("b");
        _f.Run("2026-06-01T08:00:00Z", experimentId: a, user: "ada", hours: 2);
        _f.Run("2026-06-02T08:00:00Z", Runs.RunStatus.FAILED, experimentId: a, user: "bob");
        _f.Run("2026-06-02T09:00:00Z", experimentId: b, user: "bob");
        _f.Run("2026-07-01T09:00:00Z", experimentId: b, user: "bob"); // outside the window

        var rows = _f.Store.AggregateRunsByExperiment(Ms("2026-06-01T00:00:00Z"), Ms("2026-06-03T00:00:00Z"), RunScope.All)
            .ToDictionary(x => x.ExperimentId);

        Assert.Equal(new PeriodActivity(2, 1, 1, 3, 1, 2), rows[a].Activity);
        Assert.Equal(Ms("2026-06-02T08:00:00Z"), rows[a].LastStart);
        Assert.Equal(new PeriodActivity(1, 1, 0, 1, 1, 1), rows[b].Activity);
    }

    [Fact]
    public void Deleted_runs_are_not_counted()
    {
        _f.Run("2026-06-01T08:00:00Z");
        _f.Store.DeleteRun(_f.Run("2026-06-01T09:00:00Z"));
        Assert.Equal(1, Series("2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z", "day").Totals.Started);
    }

    [Fact]
    public void The_best_metric_per_period_follows_the_metric_direction_and_names_its_run()
    {
        var r1 = _f.Run("2026-06-01T08:00:00Z");
        var r2 = _f.Run("2026-06-01T09:00:00Z");
        var r3 = _f.Run("2026-06-03T09:00:00Z");
        _f.Store.LogMetric(r1, "accuracy", 0.8, 0);
        _f.Store.LogMetric(r1, "accuracy", 0.9, 1);
        _f.Store.LogMetric(r2, "accuracy", 0.85, 0);
        _f.Store.LogMetric(r3, "accuracy", 0.7, 0);
        foreach (var (run, value) in new[] { (r1, 0.5), (r2, 0.2), (r3, 0.4) }) _f.Store.LogMetric(run, "val_loss", value, 0);

        var acc = Series("2026-06-01T00:00:00Z", "2026-06-04T00:00:00Z", "day", metric: "accuracy");
        Assert.True(acc.HigherIsBetter);
        Assert.Equal(0.9, acc.MetricBest[0]!.Value);
        Assert.Equal(r1, acc.MetricBest[0]!.RunId);
        Assert.Null(acc.MetricBest[1]);
        Assert.Equal(0.7, acc.MetricBest[2]!.Value);

        var loss = Series("2026-06-01T00:00:00Z", "2026-06-04T00:00:00Z", "day", metric: "val_loss");
        Assert.False(loss.HigherIsBetter);
        Assert.Equal(0.2, loss.MetricBest[0]!.Value);
        Assert.Equal(r2, loss.MetricBest[0]!.RunId);
    }

    [Fact]
    public void An_empty_window_answers_empty_not_an_error()
    {
        _f.Run("2026-01-01T08:00:00Z");
        var s = Series("2026-06-01T00:00:00Z", "2026-06-08T00:00:00Z", "day");
        Assert.True(s.IsEmpty);
        Assert.Equal(7, s.Periods.Count);
        Assert.All(s.Activity, a => Assert.Equal(0, a.Started));
    }

    [Fact]
    public void Presets_count_back_from_now()
    {
        _f.Run("2026-06-30T11:00:00Z");
        _f.Run("2026-06-29T11:00:00Z");
        var s = _service.TimeSeries(new AnalyticsQuery { Preset = "24h", TimeZone = "UTC" });
        Assert.Equal(Granularity.Hour, s.Window.Granularity);
        Assert.Equal(1, s.Totals.Started);
    }
}

public sealed class SqliteAnalyticsServiceTests() : AnalyticsServiceTests(postgres: false);

public sealed class PostgresAnalyticsServiceTests() : AnalyticsServiceTests(postgres: true);
