using System.Globalization;

namespace MLTrack.Core.Reports;

/// <summary>How reports print numbers: invariant culture, so a report reads the same on every machine.</summary>
public static class Numbers
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Int(long n) => n.ToString("N0", Inv);

    /// <summary>A metric value: four significant digits, thousands separated; NaN and ±∞ by name.</summary>
    public static string Value(double x)
    {
        if (double.IsNaN(x)) return "NaN";
        if (double.IsPositiveInfinity(x)) return "+Inf";
        if (double.IsNegativeInfinity(x)) return "-Inf";
        var abs = Math.Abs(x);
        if (abs >= 10_000) return x.ToString("N0", Inv);
        if (abs >= 1_000) return x.ToString("N1", Inv);
        if (abs != 0 && abs < 1e-4) return x.ToString("0.###E+0", Inv);
        return x.ToString("G4", Inv);
    }

    /// <summary>A share as a percentage with one decimal: 0.1234 → "12.3%".</summary>
    public static string Percent(double share) => (share * 100).ToString("0.0", Inv) + "%";

    /// <summary>A relative change with its sign: +12.3% / −4.0%.</summary>
    public static string Change(double current, double previous)
    {
        if (previous == 0) return current == 0 ? "0.0%" : "new";
        var change = (current - previous) / Math.Abs(previous);
        return (change >= 0 ? "+" : "−") + Percent(Math.Abs(change));
    }

    /// <summary>A duration given in hours, with its unit: "76,637 h", "1.5 h", "12 min", "40 s".</summary>
    public static string Hours(double hours)
    {
        if (hours >= 100) return hours.ToString("N0", Inv) + " h";
        if (hours >= 0.95 || hours == 0) return hours.ToString("N1", Inv) + " h";
        var minutes = hours * 60;
        return minutes >= 1 ? minutes.ToString("0", Inv) + " min" : (minutes * 60).ToString("0", Inv) + " s";
    }

    /// <summary>USD: cents from a dollar up; below, up to four decimals (prices per hour and token costs are small).</summary>
    public static string Usd(double usd)
    {
        if (usd > 0 && usd < 0.00005) return "<$0.0001";
        var text = usd >= 1 || usd == 0 ? usd.ToString("N2", Inv) : usd.ToString("0.00##", Inv);
        return "$" + text;
    }

    /// <summary>A signed statistic with two decimals: +0.87 / −0.12.</summary>
    public static string Signed(double x) => (x >= 0 ? "+" : "−") + Math.Abs(x).ToString("0.00", Inv);

    public static string Fixed2(double x) => x.ToString("0.00", Inv);

    /// <summary>"1 run", "2 runs".</summary>
    public static string Count(long n, string singular, string? plural = null) => $"{Int(n)} {(n == 1 ? singular : plural ?? singular + "s")}";
}
