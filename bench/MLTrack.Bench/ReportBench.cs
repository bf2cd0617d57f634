using MLTrack.Core.Reports;
using MLTrack.Core.Storage.Sqlite;

namespace MLTrack.Bench;

/// <summary>
/// Issue 7's report target: an executive report (charts and HTML included) for one year of a store holding 100,000
/// runs over two years, in ≤ 2 s; technical and cost reports for the same year as figures.
/// </summary>
public static class ReportBench
{
    private const int Runs = 100_000;

    public static IEnumerable<BenchResult> Run(BenchContext ctx)
    {
        using var store = SqliteTrackingStore.Open(AnalyticsSeed.Create(ctx.ScratchDir, Runs, years: 2));
        var generator = new ReportGenerator(store);
        var year = new ReportRequest
        {
            Type = ReportType.Executive,
            From = AnalyticsSeed.End.AddYears(-1).ToUnixTimeMilliseconds(),
            To = AnalyticsSeed.End.ToUnixTimeMilliseconds(),
            TimeZone = "UTC",
        };

        GeneratedReport report = null!;
        var executive = Timing.MedianMs(() => report = generator.Generate(year), runs: 5, warmup: 1);
        var started = Check(report, "| Runs started | ");
        yield return new("reports", $"executive report for a year ({started} of {Runs:N0} runs over two years), {report.Charts.Count} charts, HTML",
            $"{executive:0} ms", "≤ 2 s", executive <= 2000);

        var technical = Timing.MedianMs(() => report = generator.Generate(year with { Type = ReportType.Technical }), runs: 3, warmup: 1);
        Check(report, "## Experiment ");
        yield return new("reports", $"technical report for the same year ({report.Charts.Count} charts)", $"{technical:0} ms", "(none)", true);

        var cost = Timing.MedianMs(() => report = generator.Generate(year with { Type = ReportType.Cost }), runs: 5, warmup: 1);
        Check(report, "| Compute (CPU) | ");
        yield return new("reports", "cost report for the same year", $"{cost:0} ms", "(none)", true);
    }

    /// <summary>The value after <paramref name="marker"/> on its line; throws when the report lacks it (a broken seed or report).</summary>
    private static string Check(GeneratedReport report, string marker)
    {
        var at = report.Markdown.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0 || report.Charts.Count == 0 || report.Charts.Any(c => c.Png.Length == 0))
            throw new InvalidOperationException($"the {report.Type} report lacks '{marker.Trim()}' or its charts:\n{report.Markdown[..Math.Min(2000, report.Markdown.Length)]}");
        var rest = report.Markdown[(at + marker.Length)..];
        return rest[..rest.IndexOfAny([' ', '\n'])];
    }
}
