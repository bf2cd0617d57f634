namespace MLTrack.Server.Rpc.Dto;

/// <summary>
/// Params of <c>reports/generate</c>: type executive | technical | cost; the window as in analytics (from/to in Unix ms,
/// or a preset, default "all"); optionally one experiment; prices (absent: the user's preferences).
/// </summary>
public sealed record ReportGenerateParams(
    string? Type,
    string? Preset = null,
    long? From = null,
    long? To = null,
    string? TimeZone = null,
    string? ExperimentId = null,
    double? CpuHourUsd = null,
    double? GpuHourUsd = null);

/// <summary>A stored report (sizeBytes: of its HTML; insights: how many were found).</summary>
public sealed record ReportInfo(
    string ReportId,
    string Type,
    string Title,
    long From,
    long To,
    string TimeZone,
    string? ExperimentId,
    long CreatedAt,
    long SizeBytes,
    int Insights);

/// <summary>Params of <c>reports/list</c>: reports whose window overlaps [from, to), of one type when given.</summary>
public sealed record ReportListParams(long? From = null, long? To = null, string? Type = null);

/// <summary>Params of the reports/* methods that name one report.</summary>
public sealed record ReportIdParams(string? ReportId);

/// <summary>Params of <c>reports/content</c>: format md | html.</summary>
public sealed record ReportContentParams(string? ReportId, string? Format);

/// <summary>The report as one document: HTML with inline SVG charts, or Markdown with PNG charts as data: URIs.</summary>
public sealed record ReportContentResult(ReportInfo Info, string Format, string Content);

/// <summary>Params of <c>reports/export</c>: format md | html and the file to write.</summary>
public sealed record ReportExportParams(string? ReportId, string? Format, string? Path);

/// <summary>Every file written, the report first (Markdown: then its PNG charts in "&lt;name&gt;_files/").</summary>
public sealed record ReportExportResult(IReadOnlyList<string> Files);
