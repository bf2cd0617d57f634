using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Reports;

/// <summary>
/// Generates, keeps, lists, exports and deletes reports. A report's files live in <c>&lt;root&gt;/&lt;reportId&gt;/</c>
/// (report.md, report.html, charts/*.png; the root is chosen by the caller: the workspace's <c>.mltrack/reports</c> by
/// default) and its record in the store, so every panel and the CLI see the same list.
/// </summary>
public sealed partial class ReportService(ITrackingStore store, string root, TimeProvider? clock = null)
{
    public const string MarkdownFile = "report.md";
    public const string HtmlFile = "report.html";
    public const string ChartsFolder = "charts";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Generates the report, writes its files and records it.</summary>
    /// <exception cref="ArgumentException">A bad window, type or price.</exception>
    /// <exception cref="StoreException">ResourceDoesNotExist for an unknown experiment.</exception>
    public ReportRecord Generate(ReportRequest request, IProgress<ReportProgress>? progress = null)
    {
        var report = new ReportGenerator(store, _clock).Generate(request, progress);
        var id = Guid.NewGuid().ToString("N");
        var partial = Files(id + ".partial");
        partial.WriteAllText(MarkdownFile, report.Markdown);
        partial.WriteAllText(HtmlFile, report.Html);
        foreach (var chart in report.Charts) partial.WriteAllBytes(ChartsFolder + "/" + chart.Name + ".png", chart.Png);
        var dir = Files(id);
        Directory.Move(partial.FullPath, dir.FullPath);
        var record = new ReportRecord
        {
            ReportId = id,
            Type = report.Type.Name(),
            Title = report.Title,
            From = report.Window.From,
            To = report.Window.To,
            TimeZone = report.Window.ZoneName,
            ExperimentId = report.ExperimentId,
            CreatedAt = _clock.GetUtcNow().ToUnixTimeMilliseconds(),
            SizeBytes = Utf8.GetByteCount(report.Html),
            Insights = report.Insights.Count,
            ParamsJson = JsonSerializer.Serialize(new
            {
                request.Preset,
                request.From,
                request.To,
                request.TimeZone,
                request.Experiment,
                report.Prices.CpuHourUsd,
                report.Prices.GpuHourUsd,
                report.Prices.CpuSource,
                report.Prices.GpuSource,
            }, Json),
        };
        try
        {
            store.SaveReport(record);
        }
        catch
        {
            TryDelete(dir);
            throw;
        }
        return record;
    }

    /// <summary>Reports whose window overlaps [from, to), of one type when given; newest first.</summary>
    public IReadOnlyList<ReportRecord> List(long? from = null, long? to = null, ReportType? type = null) =>
        store.ListReports(from, to, type?.Name());

    /// <exception cref="StoreException">ResourceDoesNotExist.</exception>
    public ReportRecord Get(string reportId) =>
        (IsReportId(reportId) ? store.FindReport(reportId) : null) ?? throw NotFound(reportId);

    /// <summary>
    /// The report as one document: the HTML as stored (charts inline), or the Markdown with each chart as a PNG data: URI.
    /// </summary>
    public string Content(string reportId, ReportFormat format)
    {
        var dir = Files(Get(reportId).ReportId);
        if (format == ReportFormat.Html) return ReadFile(dir, HtmlFile);
        return RewriteChartLinks(ReadFile(dir, MarkdownFile),
            name => "data:image/png;base64," + Convert.ToBase64String(ReadChart(dir, name)));
    }

    /// <summary>
    /// Writes the report to <paramref name="path"/>: HTML as one file; Markdown with its PNG charts in
    /// "&lt;name&gt;_files/" beside it (links rewritten to match). Returns every file written, the report first.
    /// </summary>
    public IReadOnlyList<string> Export(string reportId, ReportFormat format, string path)
    {
        var dir = Files(Get(reportId).ReportId);
        var target = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (format == ReportFormat.Html)
        {
            File.WriteAllText(target, ReadFile(dir, HtmlFile), Utf8);
            return [target];
        }
        var folderName = Path.GetFileNameWithoutExtension(target) + "_files";
        var folder = Path.Combine(Path.GetDirectoryName(target)!, folderName);
        var written = new List<string> { target };
        var markdown = RewriteChartLinks(ReadFile(dir, MarkdownFile), name =>
        {
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, name + ".png");
            File.WriteAllBytes(file, ReadChart(dir, name));
            written.Add(file);
            return Uri.EscapeDataString(folderName) + "/" + name + ".png";
        });
        File.WriteAllText(target, markdown, Utf8);
        return written;
    }

    /// <exception cref="StoreException">ResourceDoesNotExist.</exception>
    public void Delete(string reportId)
    {
        if (!IsReportId(reportId) || !store.DeleteReport(reportId)) throw NotFound(reportId);
        TryDelete(Files(reportId));
    }

    /// <summary>The folder holding a report's files.</summary>
    public string Folder(ReportRecord record) => Path.Combine(Root, record.ReportId);

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>A report's folder in <see cref="Root"/>: its files are read and written without following symbolic links.</summary>
    private ArtifactFolder Files(string folderName) => new(Root, folderName, "the report's folder");

    private static string ReadFile(ArtifactFolder dir, string name) =>
        dir.IsFile(name)
            ? dir.ReadAllText(name)
            : throw new StoreException(StoreErrorCode.ResourceDoesNotExist, $"The report's file '{name}' is missing (or not a regular file); generate the report again.");

    private static byte[] ReadChart(ArtifactFolder dir, string name)
    {
        var path = ChartsFolder + "/" + name + ".png";
        return dir.IsFile(path)
            ? dir.ReadAllBytes(path)
            : throw new StoreException(StoreErrorCode.ResourceDoesNotExist, $"The report's chart '{path}' is missing (or not a regular file); generate the report again.");
    }

    /// <summary>
    /// Replaces the target of every chart image <c>![alt](charts/&lt;name&gt;.png)</c>. Text from the data cannot fake
    /// one: its '[' is always escaped, so "![" only occurs where the writer put an image.
    /// </summary>
    private static string RewriteChartLinks(string markdown, Func<string, string> target) =>
        ChartImage().Replace(markdown, m => m.Groups[1].Value + "(" + target(m.Groups[2].Value) + ")");

    private static bool IsReportId(string? id) => id is not null && ReportId().IsMatch(id);

    private static StoreException NotFound(string? reportId) =>
        new(StoreErrorCode.ResourceDoesNotExist, $"Report '{reportId}' not found.");

    private static void TryDelete(ArtifactFolder dir)
    {
        try
        {
            dir.DeleteAll();
        }
        catch (IOException)
        {
            // a file held open elsewhere: the record is gone, the folder is left behind harmlessly
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [GeneratedRegex(@"(!\[(?:[^\]\\]|\\.)*\])\(charts/([a-z0-9-]+)\.png\)")]
    private static partial Regex ChartImage();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex ReportId();
}
