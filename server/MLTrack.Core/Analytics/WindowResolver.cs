using System.Globalization;

namespace MLTrack.Core.Analytics;

/// <summary>
/// Turns an <see cref="AnalyticsQuery"/> into a window: preset or bounds, time zone, granularity (the finest that
/// keeps at most <see cref="DefaultMaxPeriods"/> periods unless one is asked for; one that would give more than
/// <see cref="MaxPeriods"/> is coarsened with a note), widened to whole periods. Bad input throws
/// <see cref="ArgumentException"/> naming the value and what is allowed.
/// </summary>
public static class WindowResolver
{
    public const int DefaultMaxPeriods = 400;
    public const int MaxPeriods = 1000;
    public static readonly IReadOnlyList<string> Presets = ["24h", "7d", "30d", "90d", "ytd", "all", "custom"];

    /// <param name="now">The current time (tests pass a fixed one).</param>
    /// <param name="firstRunStart">Start of the oldest run in scope, for "all" and an open-ended start; null when there is none.</param>
    /// <param name="defaultPreset">Preset used when the query names neither a preset nor bounds.</param>
    /// <param name="maxPeriods">Above this many periods a granularity that was asked for is coarsened (the heatmap, whose
    /// cells are always days, lifts it).</param>
    public static AnalyticsWindow Resolve(AnalyticsQuery query, DateTimeOffset now, Func<long?> firstRunStart, string defaultPreset = "30d",
        int maxPeriods = MaxPeriods)
    {
        var asked = ParseGranularity(query.Granularity);
        var (from, to, zone) = Bounds(query, now, firstRunStart, defaultPreset);
        if (from == to) return new AnalyticsWindow(from, to, zone, asked ?? Granularity.Day, null);

        string? note = null;
        Granularity granularity;
        if (asked is { } g)
        {
            granularity = g;
            while (granularity < Granularity.Month && PeriodCutter.Count(from, to, zone, granularity) > maxPeriods) granularity++;
            if (granularity != g)
            {
                var count = PeriodCutter.Cut(new AnalyticsWindow(from, to, zone, g, null)).Count;
                note = $"{Name(g)} over {Span(from, to)} would be {count.ToString("N0", CultureInfo.InvariantCulture)} periods " +
                       $"(at most {maxPeriods.ToString("N0", CultureInfo.InvariantCulture)}): shown by {Noun(granularity)}.";
            }
        }
        else
        {
            granularity = Granularity.Hour;
            while (granularity < Granularity.Month && PeriodCutter.Count(from, to, zone, granularity) > DefaultMaxPeriods) granularity++;
        }
        var start = PeriodCutter.Floor(from, zone, granularity);
        var end = PeriodCutter.Ceiling(to, zone, granularity);
        return new AnalyticsWindow(start, end, zone, granularity, note);
    }

    public static TimeZoneInfo FindZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return TimeZoneInfo.Local;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id.Trim());
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"Unknown time zone '{id}': give an IANA name such as 'Europe/Berlin' or 'UTC'.");
        }
    }

    public static Granularity? ParseGranularity(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Equals("auto", StringComparison.OrdinalIgnoreCase)) return null;
        return Enum.TryParse<Granularity>(value.Trim(), ignoreCase: true, out var g) && Enum.IsDefined(g)
            ? g
            : throw new ArgumentException($"Unknown granularity '{value}': use hour, day, week or month.");
    }

    /// <summary>
    /// The exact bounds a query names, before they are widened to whole periods (reports keep them so), and its zone:
    /// explicit from/to (an open start is the oldest run's, an open end now), else the preset's. from after to is refused.
    /// </summary>
    public static (long From, long To, TimeZoneInfo Zone) Bounds(AnalyticsQuery query, DateTimeOffset now, Func<long?> firstRunStart, string defaultPreset)
    {
        var zone = FindZone(query.TimeZone);
        var (from, to) = PresetOrExplicit(query, now.ToUnixTimeMilliseconds(), zone, firstRunStart, defaultPreset);
        if (from > to)
            throw new ArgumentException(
                $"The range starts after it ends: from {Iso(from)} is later than to {Iso(to)}. Give a 'from' before 'to'.");
        return (from, to, zone);
    }

    private static (long From, long To) PresetOrExplicit(AnalyticsQuery q, long now, TimeZoneInfo zone, Func<long?> firstRunStart, string defaultPreset)
    {
        if (q.From is not null || q.To is not null)
        {
            if (q.From is < 0 || q.To is < 0) throw new ArgumentException("'from' and 'to' are Unix times in milliseconds and cannot be negative.");
            var to = q.To ?? now;
            // An open start is the oldest run's, but never after the given end (runs may all be newer: an empty window).
            var from = q.From ?? Math.Min(firstRunStart() ?? to, to);
            return (from, to);
        }
        var preset = string.IsNullOrWhiteSpace(q.Preset) ? defaultPreset : q.Preset.Trim().ToLowerInvariant();
        const long hour = 3_600_000, day = 24 * hour;
        return preset switch
        {
            "24h" => (now - day, now),
            "7d" => (now - 7 * day, now),
            "30d" => (now - 30 * day, now),
            "90d" => (now - 90 * day, now),
            "ytd" => (StartOfYear(now, zone), now),
            "all" => (Math.Min(firstRunStart() ?? now, now), now),
            "custom" => throw new ArgumentException("The 'custom' range needs 'from' and 'to' (Unix ms)."),
            _ => throw new ArgumentException($"Unknown range preset '{q.Preset}': use one of {string.Join(", ", Presets)}."),
        };
    }

    private static long StartOfYear(long now, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(now), zone);
        return PeriodCutter.LocalToUtc(new DateTime(local.Year, 1, 1), zone);
    }

    private static string Iso(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Span(long from, long to)
    {
        var days = (to - from) / 86_400_000.0;
        return days >= 2 ? $"{Math.Round(days).ToString("N0", CultureInfo.InvariantCulture)} days" : $"{Math.Round((to - from) / 3_600_000.0)} hours";
    }

    private static string Name(Granularity g) => g switch
    {
        Granularity.Hour => "Hourly",
        Granularity.Day => "Daily",
        Granularity.Week => "Weekly",
        _ => "Monthly",
    };

    private static string Noun(Granularity g) => g.ToString().ToLowerInvariant();
}
