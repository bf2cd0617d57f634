namespace MLTrack.Core.Preferences;

/// <summary>
/// A user's display choices (the VS Code settings <c>mltrack.*</c>; in the browser UI kept by the backend per user).
/// Field names on the wire are camelCase (see extension/src/protocol.ts, Preferences).
/// </summary>
public sealed record UserPreferences
{
    public static UserPreferences Defaults { get; } = new();

    /// <summary>auto | light | dark (browser UI only; VS Code panels follow VS Code).</summary>
    public string Theme { get; init; } = "auto";
    /// <summary>all | failures | none.</summary>
    public string Notifications { get; init; } = "all";
    /// <summary>step | wall | relative.</summary>
    public string ChartXAxis { get; init; } = "step";
    /// <summary>EMA weight, 0 (none) … 0.99.</summary>
    public double ChartSmoothing { get; init; }
    /// <summary>CSS colours in order; empty: the built-in palette.</summary>
    public IReadOnlyList<string> RunColors { get; init; } = [];
    /// <summary>compact | normal | comfortable.</summary>
    public string TableDensity { get; init; } = "normal";
    /// <summary>executive | technical | cost.</summary>
    public string ReportType { get; init; } = "executive";
    /// <summary>Price of one CPU hour in USD (near Modal's published per-core rate; set your own).</summary>
    public double CpuHourUsd { get; init; } = 0.047;
    /// <summary>Price of one GPU hour in USD (near Modal's published A10G rate; set your own).</summary>
    public double GpuHourUsd { get; init; } = 1.10;
}
