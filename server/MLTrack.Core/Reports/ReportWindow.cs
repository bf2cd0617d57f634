using System.Globalization;
using MLTrack.Core.Analytics;

namespace MLTrack.Core.Reports;

/// <summary>The time a report covers: [<see cref="From"/>, <see cref="To"/>) in Unix ms, shown in <see cref="Zone"/>.</summary>
public sealed record ReportWindow(long From, long To, TimeZoneInfo Zone)
{
    private const long DayMs = 86_400_000;

    public bool IsEmpty => To <= From;

    public double Days => (To - From) / (double)DayMs;

    /// <summary>
    /// The window of the same length just before this one (for "compared with the previous range"): whole calendar
    /// months (a year, a quarter) step back by as many months, so 2025 compares with 2024; any other window by its duration.
    /// </summary>
    public ReportWindow Previous
    {
        get
        {
            var from = PeriodCutter.Local(From, Zone);
            var to = PeriodCutter.Local(To, Zone);
            if (To > From && from.TimeOfDay == TimeSpan.Zero && to.TimeOfDay == TimeSpan.Zero && from.Day == 1 && to.Day == 1)
            {
                var months = (to.Year - from.Year) * 12 + to.Month - from.Month;
                return this with { From = PeriodCutter.LocalToUtc(from.AddMonths(-months), Zone), To = From };
            }
            return this with { From = From - (To - From), To = From };
        }
    }

    /// <summary>"2025-01-01 to 2025-12-31" when both ends are local midnights (the end day shown inclusive), else with times.</summary>
    public string Label
    {
        get
        {
            var from = PeriodCutter.Local(From, Zone);
            var to = PeriodCutter.Local(To, Zone);
            if (from.TimeOfDay == TimeSpan.Zero && to.TimeOfDay == TimeSpan.Zero && To > From)
            {
                var last = to.AddDays(-1);
                return last.Date == from.Date ? Date(from) : $"{Date(from)} to {Date(last)}";
            }
            return $"{DateTime(from)} to {DateTime(to)}";
        }
    }

    public string ZoneName => Zone.Id;

    public string FormatDate(long ms) => Date(PeriodCutter.Local(ms, Zone));

    public string FormatDateTime(long ms) => DateTime(PeriodCutter.Local(ms, Zone));

    /// <summary>
    /// Explicit bounds are kept exactly (from after to is refused with the reason); a preset becomes the analytics
    /// window of that preset, whole periods in the zone.
    /// </summary>
    /// <param name="firstRunStart">Start of the oldest run in scope, for "all" and an open start.</param>
    public static ReportWindow Resolve(ReportRequest request, DateTimeOffset now, Func<long?> firstRunStart)
    {
        var query = new AnalyticsQuery { Preset = request.Preset, From = request.From, To = request.To, TimeZone = request.TimeZone };
        if (request.From is not null || request.To is not null)
        {
            var (from, to, zone) = WindowResolver.Bounds(query, now, firstRunStart, defaultPreset: "all");
            return new ReportWindow(from, to, zone);
        }
        var window = WindowResolver.Resolve(query, now, firstRunStart, defaultPreset: "all");
        return new ReportWindow(window.From, window.To, window.Zone);
    }

    private static string Date(DateTime local) => local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string DateTime(DateTime local) => local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
