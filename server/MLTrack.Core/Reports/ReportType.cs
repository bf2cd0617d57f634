namespace MLTrack.Core.Reports;

/// <summary>What a report covers: headline numbers for managers, per-experiment detail, or money.</summary>
public enum ReportType
{
    Executive,
    Technical,
    Cost,
}

/// <summary>The wire and command-line names of <see cref="ReportType"/> ("executive", "technical", "cost").</summary>
public static class ReportTypes
{
    public static string Name(this ReportType type) => type.ToString().ToLowerInvariant();

    /// <exception cref="ArgumentException">Not one of the three names.</exception>
    public static ReportType Parse(string? text) =>
        text?.Trim().ToLowerInvariant() switch
        {
            "executive" => ReportType.Executive,
            "technical" => ReportType.Technical,
            "cost" => ReportType.Cost,
            _ => throw new ArgumentException($"Unknown report type '{text}': use executive, technical or cost."),
        };
}
