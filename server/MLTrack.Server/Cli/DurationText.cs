using System.Globalization;

namespace MLTrack.Server.Cli;

/// <summary>Durations as people type them on the command line: <c>90m</c>, <c>12h</c>, <c>30d</c>, <c>2w</c>.</summary>
public static class DurationText
{
    /// <exception cref="UsageException">Not a positive number followed by s, m, h, d or w; the message names <paramref name="option"/>.</exception>
    public static TimeSpan Parse(string text, string option)
    {
        var t = text.Trim();
        if (t.Length >= 2 && double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 && double.IsFinite(n))
        {
            switch (char.ToLowerInvariant(t[^1]))
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
                case 'w': return TimeSpan.FromDays(7 * n);
            }
        }
        throw new UsageException($"{option} must be a duration such as 90m, 12h, 30d or 2w (got '{text}').");
    }

    /// <summary>A moment given as a duration back from now (<c>7d</c>) or as a UTC date/time (<c>2026-12-01</c>); ms since the epoch.</summary>
    public static long ParseSince(string text, string option, DateTimeOffset now)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at.ToUnixTimeMilliseconds();
        try
        {
            return (now - Parse(text, option)).ToUnixTimeMilliseconds();
        }
        catch (UsageException)
        {
            throw new UsageException($"{option} must be a date (2026-12-01) or a duration back from now (7d, 12h) (got '{text}').");
        }
    }
}
