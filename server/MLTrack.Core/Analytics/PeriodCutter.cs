using System.Globalization;

namespace MLTrack.Core.Analytics;

/// <summary>
/// Cuts a window into local-time periods. Days, weeks and months follow the calendar of the zone (a day is 23 or 25
/// hours across a DST change); hours are absolute hours aligned to local hour marks (the repeated hour of an autumn
/// change is two periods, both labelled with their UTC offset).
/// </summary>
public static class PeriodCutter
{
    private const long HourMs = 3_600_000;

    public static IReadOnlyList<Period> Cut(AnalyticsWindow window)
    {
        var list = new List<Period>();
        if (window.IsEmpty) return list;
        var start = Floor(window.From, window.Zone, window.Granularity);
        while (start < window.To)
        {
            var end = Next(start, window.Zone, window.Granularity);
            list.Add(new Period(start, end, Label(start, window.Zone, window.Granularity)));
            start = end;
        }
        return list;
    }

    /// <summary>How many periods cover [from, to), without building them (to choose a granularity).</summary>
    public static long Count(long from, long to, TimeZoneInfo zone, Granularity g)
    {
        if (to <= from) return 0;
        var span = to - from;
        return g switch
        {
            Granularity.Hour => span / HourMs + 2,
            Granularity.Day => span / (24 * HourMs) + 2,
            Granularity.Week => span / (7 * 24 * HourMs) + 2,
            _ => MonthIndex(to, zone) - MonthIndex(from, zone) + 1,
        };
    }

    /// <summary>The start of the period holding <paramref name="ms"/>.</summary>
    public static long Floor(long ms, TimeZoneInfo zone, Granularity g)
    {
        var local = Local(ms, zone);
        return g switch
        {
            Granularity.Hour => ms - (local.Minute * 60_000L + local.Second * 1000L + local.Millisecond),
            Granularity.Day => LocalToUtc(local.Date, zone),
            Granularity.Week => LocalToUtc(local.Date.AddDays(-(((int)local.DayOfWeek + 6) % 7)), zone),
            _ => LocalToUtc(new DateTime(local.Year, local.Month, 1), zone),
        };
    }

    /// <summary>The end of the last period when the window ends at <paramref name="ms"/> (ms itself when it is a boundary).</summary>
    public static long Ceiling(long ms, TimeZoneInfo zone, Granularity g)
    {
        var floor = Floor(ms, zone, g);
        return floor == ms ? ms : Next(floor, zone, g);
    }

    /// <summary>The start of the period after the one starting at <paramref name="start"/>.</summary>
    public static long Next(long start, TimeZoneInfo zone, Granularity g)
    {
        if (g == Granularity.Hour) return start + HourMs;
        var local = Local(start, zone).Date;
        var next = g switch
        {
            Granularity.Day => local.AddDays(1),
            Granularity.Week => local.AddDays(7),
            _ => new DateTime(local.Year, local.Month, 1).AddMonths(1),
        };
        return LocalToUtc(next, zone);
    }

    public static string Label(long start, TimeZoneInfo zone, Granularity g)
    {
        var local = Local(start, zone);
        var inv = CultureInfo.InvariantCulture;
        return g switch
        {
            Granularity.Hour when zone.IsAmbiguousTime(local) =>
                local.ToString("yyyy-MM-dd HH:00", inv) + " " + Offset(zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(start))),
            Granularity.Hour => local.ToString("yyyy-MM-dd HH:00", inv),
            Granularity.Day => local.ToString("yyyy-MM-dd", inv),
            Granularity.Week => $"{ISOWeek.GetYear(local)}-W{ISOWeek.GetWeekOfYear(local):00}",
            _ => local.ToString("yyyy-MM", inv),
        };
    }

    /// <summary>The instant a local wall-clock time names; a time skipped by a DST change maps to the first instant after the gap.</summary>
    public static long LocalToUtc(DateTime local, TimeZoneInfo zone)
    {
        var t = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        // A skipped time (e.g. midnight in a zone that changes at 00:00) is advanced minute by minute out of the gap.
        for (var i = 0; zone.IsInvalidTime(t) && i < 24 * 60; i++) t = t.AddMinutes(1);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(t, zone)).ToUnixTimeMilliseconds();
    }

    public static DateTime Local(long ms, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone).DateTime;

    private static long MonthIndex(long ms, TimeZoneInfo zone)
    {
        var l = Local(ms, zone);
        return l.Year * 12L + l.Month;
    }

    private static string Offset(TimeSpan o) => (o < TimeSpan.Zero ? "-" : "+") + o.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);
}
