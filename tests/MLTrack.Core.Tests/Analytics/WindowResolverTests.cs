using MLTrack.Core.Analytics;
using static MLTrack.Core.Tests.Analytics.AnalyticsStoreFixture;

namespace MLTrack.Core.Tests.Analytics;

public sealed class WindowResolverTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-28T10:30:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static AnalyticsWindow Resolve(AnalyticsQuery q, long? firstRun = null) => WindowResolver.Resolve(q, Now, () => firstRun);

    [Fact]
    public void A_range_that_starts_after_it_ends_is_refused_naming_both_ends()
    {
        var e = Assert.Throws<ArgumentException>(() => Resolve(new AnalyticsQuery { From = Ms("2026-03-01T00:00:00Z"), To = Ms("2026-02-01T00:00:00Z") }));
        Assert.Contains("2026-03-01T00:00:00Z", e.Message);
        Assert.Contains("2026-02-01T00:00:00Z", e.Message);
        Assert.Contains("after it ends", e.Message);
    }

    [Fact]
    public void Hourly_over_a_year_is_coarsened_to_days_with_a_note()
    {
        var w = Resolve(new AnalyticsQuery { Preset = "all", Granularity = "hour", TimeZone = "UTC" }, firstRun: Ms("2025-11-28T10:30:00Z"));
        Assert.Equal(Granularity.Day, w.Granularity);
        Assert.NotNull(w.Note);
        Assert.Contains("Hourly over 365 days", w.Note);
        Assert.Contains("shown by day", w.Note);
    }

    [Fact]
    public void A_granularity_that_fits_is_kept_without_a_note()
    {
        var w = Resolve(new AnalyticsQuery { Preset = "7d", Granularity = "hour", TimeZone = "UTC" });
        Assert.Equal(Granularity.Hour, w.Granularity);
        Assert.Null(w.Note);
    }

    [Theory]
    [InlineData("24h", Granularity.Hour)]
    [InlineData("30d", Granularity.Day)]
    [InlineData("90d", Granularity.Day)]
    public void Without_a_granularity_the_finest_that_keeps_at_most_400_periods_is_chosen(string preset, Granularity expected) =>
        Assert.Equal(expected, Resolve(new AnalyticsQuery { Preset = preset, TimeZone = "UTC" }).Granularity);

    [Fact]
    public void Two_years_without_a_granularity_are_shown_by_week()
    {
        var w = Resolve(new AnalyticsQuery { Preset = "all", TimeZone = "UTC" }, firstRun: Ms("2024-11-28T00:00:00Z"));
        Assert.Equal(Granularity.Week, w.Granularity);
    }

    [Fact]
    public void The_window_is_widened_to_whole_periods()
    {
        var w = Resolve(new AnalyticsQuery { Preset = "7d", Granularity = "day", TimeZone = "UTC" });
        Assert.Equal(Ms("2026-11-21T00:00:00Z"), w.From);
        Assert.Equal(Ms("2026-11-29T00:00:00Z"), w.To);
    }

    [Fact]
    public void Year_to_date_starts_on_the_first_of_January_in_the_given_zone()
    {
        var w = Resolve(new AnalyticsQuery { Preset = "ytd", Granularity = "month", TimeZone = "America/New_York" });
        Assert.Equal(Ms("2026-01-01T05:00:00Z"), w.From);
    }

    [Fact]
    public void A_range_of_zero_length_is_an_empty_window_not_an_error()
    {
        var at = Ms("2026-05-01T00:00:00Z");
        Assert.True(Resolve(new AnalyticsQuery { From = at, To = at }).IsEmpty);
    }

    [Fact]
    public void An_end_before_the_first_run_with_no_start_is_an_empty_window_not_an_error()
    {
        var w = Resolve(new AnalyticsQuery { To = Ms("2026-01-01T00:00:00Z"), TimeZone = "UTC" }, firstRun: Ms("2026-05-01T00:00:00Z"));
        Assert.True(w.IsEmpty);
    }

    [Fact]
    public void All_on_an_empty_store_is_an_empty_window() => Assert.True(Resolve(new AnalyticsQuery { Preset = "all" }).IsEmpty);

    [Theory]
    [InlineData("Mars/Olympus", null, null, "Unknown time zone 'Mars/Olympus'")]
    [InlineData(null, "fortnight", null, "Unknown granularity 'fortnight'")]
    [InlineData(null, null, "6w", "Unknown range preset '6w'")]
    [InlineData(null, null, "custom", "needs 'from' and 'to'")]
    public void Bad_input_is_refused_by_name(string? zone, string? granularity, string? preset, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => Resolve(new AnalyticsQuery { TimeZone = zone, Granularity = granularity, Preset = preset }));
        Assert.Contains(expected, e.Message);
    }
}
