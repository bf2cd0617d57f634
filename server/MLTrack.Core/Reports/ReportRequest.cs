namespace MLTrack.Core.Reports;

/// <summary>
/// What a caller asks for: a type, a window (explicit bounds in Unix ms, from inclusive and to exclusive, or a preset
/// as in analytics: 24h, 7d, 30d, 90d, ytd, all), a time zone for dates and periods, optionally one experiment (id or
/// name), and prices (absent ones come from the user's preferences).
/// </summary>
public sealed record ReportRequest
{
    public required ReportType Type { get; init; }
    public string? Preset { get; init; }
    public long? From { get; init; }
    public long? To { get; init; }
    /// <summary>IANA name; null: the backend's local zone.</summary>
    public string? TimeZone { get; init; }
    /// <summary>An experiment id or name; null: every experiment.</summary>
    public string? Experiment { get; init; }
    public double? CpuHourUsd { get; init; }
    public double? GpuHourUsd { get; init; }
    /// <summary>Whose preferences give the default prices; null: the user the backend runs as.</summary>
    public string? User { get; init; }
}
