using System.Globalization;

namespace MLTrack.Server.Cli.Output;

/// <summary>How values look in tables: short ids, local times, durations and compact numbers.</summary>
public static class Format
{
    public static string ShortId(string runId) => runId[..8];

    public static string Time(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Duration(long? ms)
    {
        if (ms is not { } d) return "-";
        var t = TimeSpan.FromMilliseconds(d);
        return t.TotalSeconds < 60 ? $"{t.TotalSeconds:0.0}s"
            : t.TotalHours < 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s"
            : $"{(int)t.TotalHours}h{t.Minutes:00}m";
    }

    public static string Number(double v) => double.IsNaN(v) ? "NaN"
        : double.IsPositiveInfinity(v) ? "inf"
        : double.IsNegativeInfinity(v) ? "-inf"
        : v.ToString("G6", CultureInfo.InvariantCulture);
}
