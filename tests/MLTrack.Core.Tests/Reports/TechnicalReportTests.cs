using System.Globalization;
using MLTrack.Core.Lineage;
using MLTrack.Core.Reports;

namespace MLTrack.Core.Tests.Reports;

public sealed class TechnicalReportTests : IDisposable
{
    private readonly ReportFixture _f = new();

    public void Dispose() => _f.Dispose();

    /// <summary>12 runs of "sweep": lr 0.01..0.12 drives acc; optimizer alternates; each logs a 5-step loss.</summary>
    private string Seed()
    {
        var e = _f.Experiment("sweep");
        for (var i = 0; i < 12; i++)
        {
            var lr = 0.01 * (i + 1);
            _f.Run(e, ReportFixture.Jan1.AddDays(1 + i), name: $"s{i}",
                parameters: Metric.Params(("lr", lr.ToString(CultureInfo.InvariantCulture)), ("optimizer", i % 2 == 0 ? "adam" : "sgd")),
                metrics: Metric.Of(("acc", [0.5 + lr]), ("loss", [2.0, 1.0, 0.5, 0.4, 0.3 - lr])));
        }
        return e;
    }

    [Fact]
    public void Parameters_explored_show_ranges_counts_and_association_with_the_target()
    {
        Seed();
        var md = _f.Generate(_f.January(ReportType.Technical)).Markdown;
        Assert.Contains("Target metric: `acc` (higher is better; a common metric with a known name).", md);
        Assert.Contains("| `lr` | 12 | 12 | 0.01 to 0.12 | ρ = +1.00 (strong) |", md);
        Assert.Contains("| `optimizer` | 12 | 2 | adam (6), sgd (6) | η² = ", md);
    }

    [Fact]
    public void Metric_distributions_give_min_median_mean_and_max_of_latest_values()
    {
        Seed();
        var md = _f.Generate(_f.January(ReportType.Technical)).Markdown;
        // acc = 0.51 .. 0.62: median 0.565, mean 0.565
        Assert.Contains("| `acc` | 12 | 0.51 | 0.565 | 0.565 | 0.62 | 0 |", md);
    }

    [Fact]
    public void The_best_run_is_shown_with_its_config()
    {
        Seed();
        var report = _f.Generate(_f.January(ReportType.Technical));
        var best = _f.Store.SearchRuns(new() { Filter = "attributes.run_name = 's11'" }).Runs.Single();
        Assert.Contains($"s11 `{best.RunId[..8]}` (id `{best.RunId}`) reached `acc` = 0.62; started 2025-01-13 00:00, FINISHED, ran 30 min, by ann.", report.Markdown);
        Assert.Contains("| `lr` | 0.12 |", report.Markdown);
        Assert.Contains("| `optimizer` | sgd |", report.Markdown);
    }

    [Fact]
    public void Convergence_charts_the_best_runs_loss_by_step()
    {
        Seed();
        var report = _f.Generate(_f.January(ReportType.Technical));
        Assert.Contains("![sweep: loss by step](charts/convergence-0.png)", report.Markdown);
        Assert.Contains("The best run and the next 4 by `acc`", report.Markdown);
        Assert.Contains(report.Charts, c => c.Name == "convergence-0" && c.Svg.Contains("s11", StringComparison.Ordinal));
    }

    [Fact]
    public void Lineage_of_the_best_run_lists_the_files_it_read_and_who_wrote_them()
    {
        var e = Seed();
        var prep = _f.Run(e, ReportFixture.Jan1.AddHours(1), name: "prep");
        var best = _f.Store.SearchRuns(new() { Filter = "attributes.run_name = 's11'" }).Runs.Single();
        var sha = new string('a', 64);
        _f.Store.RecordRunFiles(prep.RunId, [new RunFile(FileDirection.Output, "data/train.csv", 10, sha)]);
        _f.Store.RecordRunFiles(best.RunId, [new RunFile(FileDirection.Input, "data/train.csv", 10, sha)]);
        var md = _f.Generate(_f.January(ReportType.Technical)).Markdown;
        Assert.Contains($"- run s11 `{best.RunId[..8]}` read file `train.csv` (sha256 `aaaaaaaaaaaa`)", md);
        Assert.Contains($"- run prep `{prep.RunId[..8]}` wrote file `train.csv` (sha256 `aaaaaaaaaaaa`)", md);
    }

    [Fact]
    public void An_experiment_tag_chooses_the_target_metric()
    {
        var e = _f.Experiment("tagged", new Dictionary<string, string> { ["mltrack.target_metric"] = "loss" });
        _f.Run(e, ReportFixture.Jan1.AddDays(1), metrics: Metric.Of(("acc", [0.9]), ("loss", [0.3])));
        _f.Run(e, ReportFixture.Jan1.AddDays(2), metrics: Metric.Of(("acc", [0.8]), ("loss", [0.2])));
        var md = _f.Generate(_f.January(ReportType.Technical)).Markdown;
        Assert.Contains("Target metric: `loss` (lower is better; experiment tag mltrack.target\\_metric).", md);
        Assert.Contains("reached `loss` = 0.2", md);
    }
}
