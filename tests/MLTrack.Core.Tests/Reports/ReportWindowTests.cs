using MLTrack.Core.Reports;

namespace MLTrack.Core.Tests.Reports;

public sealed class ReportWindowTests
{
    private static ReportWindow Utc(DateTimeOffset from, DateTimeOffset to) => new(from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), TimeZoneInfo.Utc);

    [Fact]
    public void A_calendar_year_compares_with_the_year_before_even_across_a_leap_year()
    {
        var year = Utc(new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal("2025-01-01 to 2025-12-31", year.Label);
        Assert.Equal("2024-01-01 to 2024-12-31", year.Previous.Label);
    }

    [Fact]
    public void Other_windows_compare_with_the_same_duration_before()
    {
        var week = Utc(new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero), new(2025, 3, 17, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal("2025-03-10 12:00 to 2025-03-17 12:00", week.Label);
        Assert.Equal("2025-03-03 12:00 to 2025-03-10 12:00", week.Previous.Label);
    }

    [Fact]
    public void Dates_are_shown_in_the_windows_zone()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var from = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(1)).ToUnixTimeMilliseconds();
        var to = new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.FromHours(1)).ToUnixTimeMilliseconds();
        Assert.Equal("2025-01-01 to 2025-01-31", new ReportWindow(from, to, zone).Label);
    }
}
