using System.Globalization;
using MLTrack.Core.Reports;
using MLTrack.Core.Reports.Insights;
using MLTrack.Core.Runs;

namespace MLTrack.Core.Tests.Reports;

public sealed class InsightTests : IDisposable
{
    private readonly ReportFixture _f = new();

    public void Dispose() => _f.Dispose();

    private IReadOnlyList<Insight> Insights(ReportRequest? request = null) => _f.Generate(request ?? _f.January(ReportType.Technical)).Insights;

    private static string Num(double x) => x.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void A_newest_run_worse_than_the_previous_best_is_a_regression_naming_both()
    {
        var e = _f.Experiment("vision");
        var best = _f.Run(e, ReportFixture.Jan1.AddDays(2), name: "good", metrics: Metric.Of(("acc", [0.90])));
        _f.Run(e, ReportFixture.Jan1.AddDays(3), name: "ok", metrics: Metric.Of(("acc", [0.85])));
        var newest = _f.Run(e, ReportFixture.Jan1.AddDays(9), name: "bad", metrics: Metric.Of(("acc", [0.60])));
        var regression = Assert.Single(Insights(), i => i.Kind == InsightKind.Regression);
        Assert.Equal(InsightSeverity.Warning, regression.Severity);
        Assert.Equal([newest.RunId, best.RunId], regression.RunIds);
        Assert.Equal([e], regression.ExperimentIds);
        // (0.90 − 0.60) / 0.90 = 33.3%
        Assert.Contains($"vision: the newest run bad ({newest.RunId[..8]}) has acc 0.6, 33.3% worse than the best earlier run good ({best.RunId[..8]}) (0.9).", regression.Text);
    }

    [Fact]
    public void A_newest_run_that_is_the_best_or_close_to_it_is_no_regression()
    {
        var e = _f.Experiment("vision");
        _f.Run(e, ReportFixture.Jan1.AddDays(2), metrics: Metric.Of(("acc", [0.90])));
        _f.Run(e, ReportFixture.Jan1.AddDays(3), metrics: Metric.Of(("acc", [0.88])));
        Assert.DoesNotContain(Insights(), i => i.Kind == InsightKind.Regression);
    }

    [Fact]
    public void A_lower_is_better_target_regresses_upwards()
    {
        var e = _f.Experiment("rates");
        _f.Run(e, ReportFixture.Jan1.AddDays(1), metrics: Metric.Of(("val_loss", [0.20])));
        _f.Run(e, ReportFixture.Jan1.AddDays(2), metrics: Metric.Of(("val_loss", [0.30])));
        var regression = Assert.Single(Insights(), i => i.Kind == InsightKind.Regression);
        Assert.Contains("has val_loss 0.3, 50.0% worse than the best earlier run", regression.Text);
    }

    [Fact]
    public void A_planted_strong_numeric_parameter_is_found_and_a_noise_parameter_is_not()
    {
        var e = _f.Experiment("sweep");
        var rng = new Random(3);
        for (var i = 0; i < 30; i++)
        {
            var lr = 0.001 * (i + 1);
            _f.Run(e, ReportFixture.Jan1.AddHours(5 * i), parameters: Metric.Params(("lr", Num(lr)), ("seed", Num(rng.Next(1000)))),
                metrics: Metric.Of(("acc", [0.5 + lr * 10 + rng.NextDouble() * 0.01])));
        }
        var strong = Assert.Single(Insights(), i => i.Kind == InsightKind.StrongParameter);
        Assert.StartsWith("sweep: lr is strongly associated with acc (Spearman ρ = +", strong.Text);
        Assert.Contains("over 30 runs", strong.Text);
        Assert.True(strong.Magnitude > 0.9, $"ρ = {strong.Magnitude}");
    }

    [Fact]
    public void A_planted_strong_categorical_parameter_is_found_with_its_best_and_worst_values()
    {
        var e = _f.Experiment("opt");
        var rng = new Random(5);
        string[] optimizers = ["adam", "sgd", "rmsprop"];
        for (var i = 0; i < 24; i++)
        {
            var o = optimizers[i % 3];
            var acc = (o == "adam" ? 0.9 : o == "rmsprop" ? 0.8 : 0.6) + rng.NextDouble() * 0.02;
            _f.Run(e, ReportFixture.Jan1.AddHours(5 * i), parameters: Metric.Params(("optimizer", o), ("host", $"h{rng.Next(2)}")), metrics: Metric.Of(("acc", [acc])));
        }
        var strong = Assert.Single(Insights(), i => i.Kind == InsightKind.StrongParameter);
        Assert.StartsWith("opt: optimizer explains ", strong.Text);
        Assert.EndsWith("best value adam, worst sgd.", strong.Text);
    }

    [Fact]
    public void A_loss_that_becomes_NaN_is_a_divergence_with_its_step_and_last_finite_value()
    {
        var e = _f.Experiment("lm");
        _f.Run(e, ReportFixture.Jan1.AddDays(1), metrics: Metric.Of(("loss", [2.0, 1.0, 0.8, 0.7])));
        var broken = _f.Run(e, ReportFixture.Jan1.AddDays(2), name: "boom", metrics: Metric.Of(("loss", [2.0, 1.0, 3.5, double.NaN, double.NaN])));
        var divergence = Assert.Single(Insights(), i => i.Kind == InsightKind.Divergence);
        Assert.Equal(InsightSeverity.Warning, divergence.Severity);
        Assert.Equal([broken.RunId], divergence.RunIds);
        Assert.Equal(
            $"lm: 1 run diverged: loss of boom ({broken.RunId[..8]}) became NaN at step 3 (last finite value 3.5 at step 2, up from a low of 1).",
            divergence.Text);
    }

    [Fact]
    public void A_loss_that_becomes_infinite_is_a_divergence_too()
    {
        var e = _f.Experiment("lm");
        _f.Run(e, ReportFixture.Jan1.AddDays(2), name: "inf", metrics: Metric.Of(("loss", [1.0, double.PositiveInfinity])));
        var divergence = Assert.Single(Insights(), i => i.Kind == InsightKind.Divergence);
        Assert.Contains("became +Inf at step 1", divergence.Text);
    }

    [Fact]
    public void A_day_with_far_more_failures_than_usual_is_a_failure_spike()
    {
        var e = _f.Experiment("etl");
        for (var day = 0; day < 20; day++)
            for (var i = 0; i < 5; i++)
                _f.Run(e, ReportFixture.Jan1.AddDays(day).AddHours(i), status: i != 0 || day % 4 != 0 ? RunStatus.FINISHED : RunStatus.FAILED);
        var spikeDay = ReportFixture.Jan1.AddDays(14);
        for (var i = 0; i < 6; i++) _f.Run(e, spikeDay.AddHours(i), RunStatus.FAILED);
        var spike = Assert.Single(Insights(), i => i.Kind == InsightKind.FailureSpike);
        // 5 failures in 100 ordinary runs, then 6 more on 2025-01-15 (beside its 5 finished): 11 of 106 overall
        Assert.Equal("2025-01-15: 6 of 11 runs failed (54.5%), against 10.4% over the whole range; all in etl.", spike.Text);
        Assert.Equal(6, spike.RunIds.Count);
    }

    [Fact]
    public void An_experiment_quiet_for_30_days_before_the_end_of_the_range_is_stale()
    {
        var quiet = _f.Experiment("quiet");
        var busy = _f.Experiment("busy");
        _f.Run(quiet, ReportFixture.Jan1.AddDays(1));
        _f.Run(busy, ReportFixture.Jan1.AddDays(1));
        _f.Run(busy, ReportFixture.Jan1.AddDays(50));
        var request = new ReportRequest
        {
            Type = ReportType.Technical,
            TimeZone = "UTC",
            From = ReportFixture.Jan1.ToUnixTimeMilliseconds(),
            To = ReportFixture.Jan1.AddDays(60).ToUnixTimeMilliseconds(),
        };
        var stale = Assert.Single(Insights(request), i => i.Kind == InsightKind.StaleExperiment);
        Assert.Equal("quiet: no run since 2025-01-02 (59 days before the end of the range), after 1 run in the range.", stale.Text);
    }

    [Fact]
    public void The_best_run_is_compared_with_the_median()
    {
        var e = _f.Experiment("vision");
        double[] acc = [0.5, 0.6, 0.8, 0.7];
        for (var i = 0; i < acc.Length; i++) _f.Run(e, ReportFixture.Jan1.AddDays(i), name: $"r{i}", metrics: Metric.Of(("acc", [acc[i]])));
        var best = Assert.Single(Insights(), i => i.Kind == InsightKind.BestVsMedian);
        // median 0.65; (0.8 − 0.65) / 0.65 = 23.1%
        Assert.Contains("the best run r2 (", best.Text);
        Assert.EndsWith("reaches acc 0.8, 23.1% better than the median 0.65 of 4 runs.", best.Text);
    }

    [Fact]
    public void A_best_run_whose_curve_flattened_has_levelled_off()
    {
        var e = _f.Experiment("cnn");
        // 0.5 → 0.9 by step 6, then flat to step 11
        var run = _f.Run(e, ReportFixture.Jan1.AddDays(1), name: "flat", metrics: Metric.Of(("val_acc", [0.5, 0.7, 0.8, 0.85, 0.88, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9])));
        var curve = Assert.Single(Insights(), i => i.Kind == InsightKind.TrainingCurve);
        Assert.Equal(
            $"cnn: val_acc of the best run flat ({run.RunId[..8]}) went from 0.5 at step 0 to 0.9 at step 11; none of that gain came in the last quarter (steps 9 to 11): " +
            "it had levelled off, so more steps are unlikely to help.", curve.Text);
    }

    [Fact]
    public void A_best_run_still_gaining_at_its_end_was_still_improving()
    {
        var e = _f.Experiment("cnn");
        // loss falls 1.4 in all, 0.4 of it from step 9 on
        _f.Run(e, ReportFixture.Jan1.AddDays(1), metrics: Metric.Of(("loss", [2.0, 1.9, 1.8, 1.7, 1.6, 1.5, 1.4, 1.3, 1.2, 1.0, 0.8, 0.6])));
        var curve = Assert.Single(Insights(), i => i.Kind == InsightKind.TrainingCurve);
        Assert.Contains("went from 2 at step 0 to 0.6 at step 11; 28.6% of that gain came in the last quarter (steps 9 to 11): it was still improving", curve.Text);
    }

    [Fact]
    public void A_best_run_flat_from_its_first_step_could_have_stopped_early()
    {
        var e = _f.Experiment("logreg");
        _f.Run(e, ReportFixture.Jan1.AddDays(1), name: "lr", metrics: Metric.Of(("val_acc", [0.936, 0.938, 0.9355, 0.937, 0.936, 0.9365, 0.937, 0.9363])));
        var curve = Assert.Single(Insights(), i => i.Kind == InsightKind.TrainingCurve);
        Assert.Contains("val_acc of the best run lr (", curve.Text);
        Assert.EndsWith("stayed between 0.9355 and 0.938 (within 0.3%) from step 0 to step 7: it was as good at step 0 as at the end, so far fewer steps would give the same result.",
            curve.Text);
    }

    [Fact]
    public void Warnings_come_before_notes()
    {
        var e = _f.Experiment("vision");
        _f.Run(e, ReportFixture.Jan1.AddDays(1), metrics: Metric.Of(("acc", [0.9])));
        _f.Run(e, ReportFixture.Jan1.AddDays(2), metrics: Metric.Of(("acc", [0.7])));
        _f.Run(e, ReportFixture.Jan1.AddDays(3), metrics: Metric.Of(("acc", [0.5]), ("loss", [1, double.NaN])));
        var severities = Insights().Select(i => i.Severity).ToList();
        Assert.Contains(InsightSeverity.Info, severities);
        Assert.Equal(severities.OrderByDescending(s => s), severities);
    }
}
