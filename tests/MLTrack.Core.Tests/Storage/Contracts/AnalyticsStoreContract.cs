using MLTrack.Core.Analytics;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Deploy;
using MLTrack.Core.Lineage;
using MLTrack.Core.Metrics;
using MLTrack.Core.Reports;
using MLTrack.Core.Runs;
using MLTrack.Core.Search;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Tests.Storage.Contracts;

/// <summary>What every store does for IAnalyticsStore: aggregates over runs per period, experiment and user. Run by each implementation (see StoreContracts.cs).</summary>
public abstract class AnalyticsStoreContract : StoreContract
{
    private Run RunAt(long start, string user, string? experiment = null, RunStatus status = RunStatus.FINISHED)
    {
        var run = Store.CreateRun(new NewRun { StartTime = start, User = user, ExperimentId = experiment });
        Store.UpdateRun(run.RunId, new RunUpdate { Status = status, EndTime = start + 3_600_000 });
        return run;
    }

    [Fact]
    public void Run_users_are_the_distinct_users_of_active_runs_sorted()
    {
        RunAt(1000, "grace");
        RunAt(2000, "ada");
        RunAt(3000, "ada");
        var gone = RunAt(4000, "linus");
        Store.DeleteRun(gone.RunId);

        Assert.Equal(["ada", "grace"], Store.ListRunUsers());
    }

    [Fact]
    public void The_first_run_start_is_the_oldest_active_run_in_scope()
    {
        var exp = Store.CreateExperiment("scoped").ExperimentId;
        var oldest = RunAt(1000, "ada");
        RunAt(5000, "ada", exp);
        RunAt(9000, "grace", exp);
        Store.DeleteRun(oldest.RunId);

        Assert.Equal(5000, Store.FirstRunStart(RunScope.All));
        Assert.Equal(9000, Store.FirstRunStart(new RunScope(null, "grace")));
        Assert.Null(Store.FirstRunStart(new RunScope(null, "nobody")));
    }

    [Fact]
    public void Distinct_experiments_and_users_are_counted_over_a_window()
    {
        var exp = Store.CreateExperiment("window").ExperimentId;
        RunAt(1000, "ada");
        RunAt(2000, "grace", exp);
        RunAt(2500, "grace", exp);
        RunAt(9000, "linus", exp); // after the window

        Assert.Equal((2, 2), Store.CountDistinct(0, 5000, RunScope.All));
        Assert.Equal((1, 1), Store.CountDistinct(0, 5000, new RunScope([exp])));
    }

    [Fact]
    public void Runs_are_aggregated_per_period_they_started_in()
    {
        RunAt(1000, "ada");
        RunAt(1500, "grace", status: RunStatus.FAILED);
        RunAt(2500, "ada", status: RunStatus.CRASHED);

        var periods = Store.AggregateRuns([new Period(0, 2000, "a"), new Period(2000, 4000, "b"), new Period(4000, 6000, "c")], RunScope.All);

        Assert.Equal([2, 1, 0], periods.Select(p => p.Started));
        Assert.Equal([1, 0, 0], periods.Select(p => p.Finished));
        Assert.Equal([1, 1, 0], periods.Select(p => p.Failed));
        Assert.Equal([2.0, 1.0, 0], periods.Select(p => p.ComputeHours));
        Assert.Equal([2, 1, 0], periods.Select(p => p.Users));
    }

    [Fact]
    public void The_best_metric_per_period_names_its_run()
    {
        var a = RunAt(1000, "ada");
        var b = RunAt(1500, "ada");
        Store.LogMetrics(a.RunId, [new("acc", 0.7, 1, 0), new("acc", 0.9, 1, 1)]);
        Store.LogMetrics(b.RunId, [new("acc", 0.8, 1, 0)]);

        var best = Store.BestMetricPerPeriod([new Period(0, 2000, "a"), new Period(2000, 4000, "b")], RunScope.All, "acc", higherIsBetter: true);
        var lowest = Store.BestMetricPerPeriod([new Period(0, 2000, "a")], RunScope.All, "acc", higherIsBetter: false);

        Assert.Equal(new PeriodBest(0.9, a.RunId), best[0]);
        Assert.Null(best[1]);
        Assert.Equal(new PeriodBest(0.7, a.RunId), lowest[0]);
    }

    [Fact]
    public void Runs_are_aggregated_per_experiment_with_their_newest_start()
    {
        var exp = Store.CreateExperiment("per-exp").ExperimentId;
        RunAt(1000, "ada", exp);
        RunAt(3000, "grace", exp);
        RunAt(2000, "ada");

        var rows = Store.AggregateRunsByExperiment(0, 5000, RunScope.All).ToDictionary(r => r.ExperimentId);

        Assert.Equal((2, 2, 3000L), (rows[exp].Activity.Started, rows[exp].Activity.Users, rows[exp].LastStart));
        Assert.Equal(1, rows[Experiment.DefaultId].Activity.Started);
    }
}
