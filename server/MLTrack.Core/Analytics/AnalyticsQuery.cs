namespace MLTrack.Core.Analytics;

/// <summary>
/// What an analytics query asks for, as a client sends it: a preset (24h, 7d, 30d, 90d, ytd, all, custom) or explicit
/// bounds in Unix ms (from inclusive, to exclusive), an IANA time zone, an optional granularity, and which runs.
/// <see cref="WindowResolver"/> turns it into an <see cref="AnalyticsWindow"/> or refuses it with the reason.
/// </summary>
public sealed record AnalyticsQuery
{
    public string? Preset { get; init; }
    public long? From { get; init; }
    public long? To { get; init; }
    public string? TimeZone { get; init; }
    public string? Granularity { get; init; }
    public RunScope Scope { get; init; } = RunScope.All;
}
