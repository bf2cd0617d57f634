using MLTrack.Core.Analytics;
using static MLTrack.Core.Tests.Analytics.AnalyticsStoreFixture;

namespace MLTrack.Core.Tests.Analytics;

public sealed class PeriodCutterTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    private static IReadOnlyList<Period> Cut(string fromUtc, string toUtc, TimeZoneInfo zone, Granularity g) =>
        PeriodCutter.Cut(new AnalyticsWindow(Ms(fromUtc), Ms(toUtc), zone, g, null));

    [Fact]
    public void A_local_day_across_the_spring_DST_change_lasts_23_hours()
    {
        // Berlin moves from +01:00 to +02:00 on 2026-03-29.
        var days = Cut("2026-03-27T23:00:00Z", "2026-03-30T22:00:00Z", Berlin, Granularity.Day);
        Assert.Equal(["2026-03-28", "2026-03-29", "2026-03-30"], days.Select(d => d.Label));
        Assert.Equal([24.0, 23.0, 24.0], days.Select(d => (d.End - d.Start) / 3_600_000.0));
        Assert.Equal(Ms("2026-03-28T23:00:00Z"), days[1].Start);
        Assert.Equal(Ms("2026-03-29T22:00:00Z"), days[1].End);
    }

    [Fact]
    public void A_local_day_across_the_autumn_DST_change_lasts_25_hours()
    {
        var days = Cut("2026-10-24T22:00:00Z", "2026-10-26T23:00:00Z", Berlin, Granularity.Day);
        Assert.Equal(["2026-10-25", "2026-10-26"], days.Select(d => d.Label));
        Assert.Equal([25.0, 24.0], days.Select(d => (d.End - d.Start) / 3_600_000.0));
    }

    [Fact]
    public void The_repeated_autumn_hour_is_two_periods_told_apart_by_their_offsets()
    {
        var hours = Cut("2026-10-24T23:00:00Z", "2026-10-25T02:00:00Z", Berlin, Granularity.Hour);
        Assert.Equal(["2026-10-25 01:00", "2026-10-25 02:00 +02:00", "2026-10-25 02:00 +01:00"], hours.Select(h => h.Label));
        Assert.All(hours, h => Assert.Equal(3_600_000, h.End - h.Start));
    }

    [Fact]
    public void Weeks_start_on_Monday_at_local_midnight_and_carry_ISO_week_labels()
    {
        // 2026-01-01 is a Thursday: its ISO week is 2026-W01, which starts on Monday 2025-12-29.
        var weeks = Cut("2026-01-01T00:00:00Z", "2026-01-12T00:00:00Z", Utc, Granularity.Week);
        Assert.Equal(["2026-W01", "2026-W02"], weeks.Select(w => w.Label));
        Assert.Equal(Ms("2025-12-29T00:00:00Z"), weeks[0].Start);
        Assert.Equal(Ms("2026-01-12T00:00:00Z"), weeks[1].End);
    }

    [Fact]
    public void Months_follow_the_calendar()
    {
        var months = Cut("2026-01-15T00:00:00Z", "2026-03-02T00:00:00Z", Utc, Granularity.Month);
        Assert.Equal(["2026-01", "2026-02", "2026-03"], months.Select(m => m.Label));
        Assert.Equal([31.0, 28.0, 31.0], months.Select(m => (m.End - m.Start) / 86_400_000.0));
    }

    [Fact]
    public void Hours_in_a_half_hour_zone_start_on_local_hour_marks()
    {
        var kolkata = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata"); // +05:30
        var hours = Cut("2026-05-01T00:00:00Z", "2026-05-01T02:00:00Z", kolkata, Granularity.Hour);
        Assert.Equal(Ms("2026-04-30T23:30:00Z"), hours[0].Start);
        Assert.Equal("2026-05-01 05:00", hours[0].Label);
        Assert.Equal(3, hours.Count);
    }

    [Fact]
    public void An_empty_window_has_no_periods() =>
        Assert.Empty(Cut("2026-05-01T00:00:00Z", "2026-05-01T00:00:00Z", Utc, Granularity.Day));
}
