namespace MLTrack.Core.Reports;

/// <summary>How a report is delivered: Markdown (charts as PNG) or a self-contained HTML page (charts as inline SVG).</summary>
public enum ReportFormat
{
    Md,
    Html,
}

public static class ReportFormats
{
    public static string Name(this ReportFormat format) => format == ReportFormat.Md ? "md" : "html";

    /// <exception cref="ArgumentException">Neither "md" nor "html".</exception>
    public static ReportFormat Parse(string? text) =>
        text?.Trim().ToLowerInvariant() switch
        {
            "md" or "markdown" => ReportFormat.Md,
            "html" or "htm" => ReportFormat.Html,
            _ => throw new ArgumentException($"Unknown report format '{text}': use md or html."),
        };

    /// <summary>The format a file name implies (".md", ".markdown", ".html", ".htm"), else null.</summary>
    public static ReportFormat? FromExtension(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".md" or ".markdown" => ReportFormat.Md,
            ".html" or ".htm" => ReportFormat.Html,
            _ => null,
        };
}
