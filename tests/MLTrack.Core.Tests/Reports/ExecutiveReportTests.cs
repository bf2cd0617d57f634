using MLTrack.Core.Reports;
using MLTrack.Core.Runs;

namespace MLTrack.Core.Tests.Reports;

public sealed class ExecutiveReportTests : IDisposable
{
    private readonly ReportFixture _f = new();

    public void Dispose() => _f.Dispose();

    /// <summary>
    /// January: six finished runs (30 min, acc 0.7 0.8 0.9 0.75 0.85 0.6) and two failed (60 min); December: two
    /// finished runs (30 min).
    /// </summary>
    private string Seed()
    {
        var e = _f.Experiment("vision");
        double[] acc = [0.7, 0.8, 0.9, 0.75, 0.85, 0.6];
        for (var i = 0; i < acc.Length; i++)
            _f.Run(e, ReportFixture.Jan1.AddDays(4 + i).AddHours(10), name: $"r{i + 1}", metrics: Metric.Of(("acc", [acc[i]]), ("loss", [1.0, 0.5, 1 - acc[i]])));
        _f.Run(e, ReportFixture.Jan1.AddDays(10), RunStatus.FAILED, minutes: 60, name: "f1");
        _f.Run(e, ReportFixture.Jan1.AddDays(11), RunStatus.FAILED, minutes: 60, name: "f2");
        _f.Run(e, ReportFixture.Jan1.AddDays(-20), name: "old1", metrics: Metric.Of(("acc", [0.5])));
        _f.Run(e, ReportFixture.Jan1.AddDays(-10), name: "old2", metrics: Metric.Of(("acc", [0.55])));
        return e;
    }

    [Fact]
    public void Headline_numbers_count_the_range_against_the_previous_month()
    {
        Seed();
        var md = _f.Generate(_f.January(ReportType.Executive)).Markdown;
        Assert.Contains("| Runs started | 8 | 2 | +300.0% |", md);
        Assert.Contains("| Finished | 6 | 2 | +200.0% |", md);
        Assert.Contains("| Failed | 2 | 0 | new |", md);
        Assert.Contains("| Failure rate | 25.0% | 0.0% | +25.00 points |", md);
        Assert.Contains("| Compute time | 5.0 h | 1.0 h | +400.0% |", md);
        Assert.Contains("2024-12-01 to 2024-12-31", md);
    }

    [Fact]
    public void Has_the_sections_in_order_with_the_range_in_the_title()
    {
        Seed();
        var md = _f.Generate(_f.January(ReportType.Executive)).Markdown;
        Assert.StartsWith("# Executive summary: all experiments, 2025-01-01 to 2025-01-31\n", md);
        var positions = new[] { "## Headline numbers", "## Activity", "## Best models", "## Cost", "## Insights" }.Select(s => md.IndexOf(s, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void Best_models_name_the_best_run_and_how_far_it_beats_the_median()
    {
        Seed();
        var report = _f.Generate(_f.January(ReportType.Executive));
        var best = _f.Store.SearchRuns(new() { Filter = "attributes.run_name = 'r3'" }).Runs.Single();
        // median of 0.6 0.7 0.75 0.8 0.85 0.9 is 0.775; (0.9 − 0.775) / 0.775 = 16.1%
        Assert.Contains($"| vision | `acc` ↑ | r3 `{best.RunId[..8]}` | 0.9 | 16.1% better | 8 |", report.Markdown);
    }

    [Fact]
    public void Cost_multiplies_compute_hours_by_the_given_price_and_states_it()
    {
        Seed();
        var md = _f.Generate(_f.January(ReportType.Executive) with { CpuHourUsd = 0.1, GpuHourUsd = 2 }).Markdown;
        Assert.Contains("| Compute (CPU) | 5.0 h | \\$0.50 |", md);
        Assert.Contains("\\$0.10 per CPU hour (given), \\$2.00 per GPU hour (given)", md);
        Assert.Contains("| GPU | no GPU metrics captured | — |", md);
        Assert.Contains("| LLM tokens | no LLM usage captured | — |", md);
        Assert.Contains("| Deployments | no deployments served in this range | — |", md);
    }

    [Fact]
    public void Draws_the_activity_chart_and_links_it_from_the_markdown()
    {
        Seed();
        var report = _f.Generate(_f.January(ReportType.Executive));
        var activity = Assert.Single(report.Charts, c => c.Name == "activity");
        Assert.Contains("![Runs per day](charts/activity.png)", report.Markdown);
        Assert.True(activity.Png.Length > 1000);
        Assert.Contains("<svg", activity.Svg);
    }

    [Fact]
    public void An_experiment_filter_counts_only_its_runs()
    {
        Seed();
        var other = _f.Experiment("text");
        _f.Run(other, ReportFixture.Jan1.AddDays(3), metrics: Metric.Of(("f1", [0.4])));
        var all = _f.Generate(_f.January(ReportType.Executive)).Markdown;
        var one = _f.Generate(_f.January(ReportType.Executive) with { Experiment = "text" }).Markdown;
        Assert.Contains("| Runs started | 9 |", all);
        Assert.Contains("| Runs started | 1 |", one);
        Assert.Contains("**Scope:** experiment text", one);
        Assert.DoesNotContain("| vision |", one);
    }
}
