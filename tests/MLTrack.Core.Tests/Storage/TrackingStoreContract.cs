using MLTrack.Core.Artifacts;
using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;
using MLTrack.Core.Search;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Tests.Storage;

/// <summary>
/// What every <see cref="ITrackingStore"/> must do. Each implementation's test class derives from this and supplies a
/// fresh, empty store; SQLite today, PostgreSQL when it lands.
/// </summary>
public abstract partial class TrackingStoreContract : IDisposable
{
    protected abstract ITrackingStore CreateStore();

    private ITrackingStore? _store;
    protected ITrackingStore Store => _store ??= CreateStore();

    public virtual void Dispose()
    {
        _store?.Dispose();
        GC.SuppressFinalize(this);
    }

    private Run NewRun(string? experiment = null, string? name = null) =>
        Store.CreateRun(new NewRun { ExperimentId = experiment, Name = name, User = "ada" });

    [Fact]
    public void A_new_store_has_the_default_experiment()
    {
        var experiments = Store.ListExperiments();
        Assert.Contains(experiments, e => e.ExperimentId == Experiment.DefaultId && e.Name == Experiment.DefaultName);
    }

    [Fact]
    public void Created_experiment_is_found_by_id_and_name()
    {
        var e = Store.CreateExperiment("vision", tags: new Dictionary<string, string> { ["team"] = "cv" });
        Assert.Equal("vision", Store.GetExperiment(e.ExperimentId).Name);
        Assert.Equal(e.ExperimentId, Store.FindExperimentByName("vision")!.ExperimentId);
        Assert.Equal("cv", Store.GetExperiment(e.ExperimentId).Tags["team"]);
    }

    [Fact]
    public void Experiment_names_are_unique()
    {
        Store.CreateExperiment("a");
        var e = Assert.Throws<StoreException>(() => Store.CreateExperiment("a"));
        Assert.Equal(StoreErrorCode.ResourceAlreadyExists, e.Code);
    }

    [Fact]
    public void GetOrCreateExperiment_returns_the_existing_one()
    {
        var a = Store.GetOrCreateExperiment("x");
        var b = Store.GetOrCreateExperiment("x");
        Assert.Equal(a.ExperimentId, b.ExperimentId);
    }

    [Fact]
    public void Deleted_experiment_is_hidden_from_active_listing_and_restorable()
    {
        var e = Store.CreateExperiment("old");
        Store.DeleteExperiment(e.ExperimentId);
        Assert.DoesNotContain(Store.ListExperiments(), x => x.Name == "old");
        Assert.Contains(Store.ListExperiments(ViewType.DeletedOnly), x => x.Name == "old");
        Store.RestoreExperiment(e.ExperimentId);
        Assert.Contains(Store.ListExperiments(), x => x.Name == "old");
    }

    [Fact]
    public void Unknown_experiment_is_resource_does_not_exist()
    {
        var e = Assert.Throws<StoreException>(() => Store.GetExperiment("987"));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
    }

    [Fact]
    public void Run_round_trips_its_attributes()
    {
        var exp = Store.CreateExperiment("e");
        var created = Store.CreateRun(new NewRun
        {
            ExperimentId = exp.ExperimentId,
            Name = "r1",
            User = "ada",
            Command = "python3 train.py",
            Cwd = "/w",
            SourceFile = "/w/train.py",
            Pid = 42,
            Host = "box",
            Git = new GitInfo("abc", "main", "https://x/y.git", true),
            StartTime = 1000,
            Tags = new Dictionary<string, string> { ["k"] = "v" },
        });
        var run = Store.GetRun(created.RunId);
        Assert.Equal(32, run.RunId.Length);
        Assert.Equal((exp.ExperimentId, "r1", RunStatus.RUNNING, "ada", 1000L), (run.ExperimentId, run.Name, run.Status, run.User, run.StartTime));
        Assert.Equal(("python3 train.py", "/w", "/w/train.py", 42, "box"), (run.Command, run.Cwd, run.SourceFile, run.Pid, run.Host));
        Assert.Equal(new GitInfo("abc", "main", "https://x/y.git", true), run.Git);
        Assert.Equal("v", run.Tags["k"]);
        Assert.EndsWith(run.RunId, run.ArtifactUri);
    }

    [Fact]
    public void UpdateRun_sets_status_end_time_and_exit_code()
    {
        var run = NewRun();
        Store.UpdateRun(run.RunId, new RunUpdate { Status = RunStatus.FAILED, EndTime = run.StartTime + 5, ExitCode = 3 });
        var got = Store.GetRun(run.RunId);
        Assert.Equal((RunStatus.FAILED, run.StartTime + 5, 3), (got.Status, got.EndTime, got.ExitCode));
        Assert.Equal(5, got.DurationMs);
    }

    [Fact]
    public void Unique_prefix_of_six_characters_resolves_the_run()
    {
        var run = NewRun();
        Assert.Equal(run.RunId, Store.ResolveRunId(run.RunId[..6]));
        Assert.Equal(run.RunId, Store.ResolveRunId(run.RunId.ToUpperInvariant()));
    }

    [Fact]
    public void Prefix_shorter_than_six_characters_is_refused()
    {
        var run = NewRun();
        var e = Assert.Throws<StoreException>(() => Store.ResolveRunId(run.RunId[..5]));
        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
    }

    [Fact]
    public void Unknown_run_id_is_resource_does_not_exist()
    {
        var e = Assert.Throws<StoreException>(() => Store.ResolveRunId("ffffffffff"));
        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
        Assert.Contains("ffffffffff", e.Message);
    }

    [Fact]
    public void Params_are_immutable_but_the_same_value_may_be_logged_again()
    {
        var run = NewRun();
        Store.LogParam(run.RunId, "lr", "0.1");
        Store.LogParam(run.RunId, "lr", "0.1");
        var e = Assert.Throws<StoreException>(() => Store.LogParam(run.RunId, "lr", "0.2"));
        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Equal("0.1", Store.GetRun(run.RunId).Params["lr"]);
    }

    [Fact]
    public void A_refused_batch_writes_nothing()
    {
        var run = NewRun();
        Store.LogParam(run.RunId, "lr", "0.1");
        Assert.Throws<StoreException>(() => Store.LogBatch(run.RunId, new RunBatch
        {
            Metrics = [new MetricPoint("loss", 1, 1, 0)],
            Params = [new("lr", "0.5")],
            Tags = [new("t", "x")],
        }));
        var got = Store.GetRun(run.RunId);
        Assert.Empty(got.Metrics);
        Assert.False(got.Tags.ContainsKey("t"));
    }

    [Fact]
    public void Tags_are_mutable_and_deletable()
    {
        var run = NewRun();
        Store.SetTag(run.RunId, "note", "a");
        Store.SetTag(run.RunId, "note", "b");
        Assert.Equal("b", Store.GetRun(run.RunId).Tags["note"]);
        Store.DeleteTag(run.RunId, "note");
        Assert.False(Store.GetRun(run.RunId).Tags.ContainsKey("note"));
    }

    [Fact]
    public void Metric_history_returns_every_point_in_step_order()
    {
        var run = NewRun();
        Store.LogMetrics(run.RunId, [new("loss", 0.5, 10, 2), new("loss", 0.9, 5, 1), new("acc", 0.1, 5, 1)]);
        Store.LogMetric(run.RunId, "loss", 0.3, step: 3, timestamp: 20);
        var history = Store.GetMetricHistory(run.RunId, "loss");
        Assert.Equal([1L, 2, 3], history.Select(p => p.Step));
        Assert.Equal([0.9, 0.5, 0.3], history.Select(p => p.Value));
    }

    [Fact]
    public void NaN_and_infinities_are_kept()
    {
        var run = NewRun();
        Store.LogMetrics(run.RunId, [new("x", double.NaN, 1, 1), new("x", double.PositiveInfinity, 1, 2), new("x", double.NegativeInfinity, 1, 3), new("x", double.NaN, 1, 4)]);
        var values = Store.GetMetricHistory(run.RunId, "x").Select(p => p.Value).ToList();
        Assert.True(double.IsNaN(values[0]));
        Assert.Equal(double.PositiveInfinity, values[1]);
        Assert.Equal(double.NegativeInfinity, values[2]);
        var summary = Assert.Single(Store.GetMetricSummaries(run.RunId));
        Assert.True(double.IsNaN(summary.Latest));
        Assert.Equal((double.NegativeInfinity, double.PositiveInfinity, 4L), (summary.Min, summary.Max, summary.Count));
    }

    [Fact]
    public void Latest_value_is_the_highest_step_not_the_last_logged()
    {
        var run = NewRun();
        Store.LogMetric(run.RunId, "acc", 0.9, step: 10, timestamp: 1);
        Store.LogMetric(run.RunId, "acc", 0.1, step: 2, timestamp: 2);
        var s = Assert.Single(Store.GetMetricSummaries(run.RunId));
        Assert.Equal((0.9, 10L, 0.1, 0.9, 2L), (s.Latest, s.LatestStep, s.Min, s.Max, s.Count));
    }

    [Fact]
    public void Point_by_point_logging_keeps_all_points_across_chunk_merges()
    {
        var run = NewRun();
        for (int i = 0; i < 700; i++) Store.LogMetric(run.RunId, "loss", 1.0 / (i + 1), step: i, timestamp: 1000 + i * 7919L);
        var history = Store.GetMetricHistory(run.RunId, "loss");
        Assert.Equal(700, history.Count);
        Assert.Equal(Enumerable.Range(0, 700).Select(i => (long)i), history.Select(p => p.Step));
        Assert.Equal(1000 + 699 * 7919L, history[^1].Timestamp);
    }

    [Fact]
    public void Large_batches_round_trip_exactly()
    {
        var run = NewRun();
        var rng = new Random(7);
        var points = Enumerable.Range(0, 10_000).Select(i => new MetricPoint("v", rng.NextDouble(), 1_700_000_000_000 + rng.Next(100_000), i * 3)).ToList();
        Store.LogMetrics(run.RunId, points);
        var history = Store.GetMetricHistory(run.RunId, "v");
        Assert.Equal(points.Select(p => (p.Step, p.Timestamp, p.Value)), history.Select(p => (p.Step, p.Timestamp, p.Value)));
    }

    [Fact]
    public void History_can_be_limited_to_a_step_range()
    {
        var run = NewRun();
        Store.LogMetrics(run.RunId, Enumerable.Range(0, 10_000).Select(i => new MetricPoint("v", i, 1, i)).ToList());
        var part = Store.GetMetricHistory(run.RunId, "v", 5000, 5009);
        Assert.Equal(Enumerable.Range(5000, 10).Select(i => (double)i), part.Select(p => p.Value));
    }

    [Fact]
    public void Buckets_summarise_min_max_and_last_per_step_range()
    {
        var run = NewRun();
        Store.LogMetrics(run.RunId, Enumerable.Range(0, 1000).Select(i => new MetricPoint("v", i % 10 == 5 ? 100 : i, 1, i)).ToList());
        var buckets = Store.GetMetricBuckets(run.RunId, "v", 10);
        Assert.Equal(10, buckets.Count);
        var first = buckets[0];
        Assert.Equal((0L, 99L, 100L), (first.FromStep, first.ToStep, first.Count));
        Assert.Equal((0.0, 100.0, 99L, 99.0), (first.Min, first.Max, first.LastStep, first.Last));
    }

    [Fact]
    public void Buckets_over_a_narrow_range_show_full_detail()
    {
        var run = NewRun();
        Store.LogMetrics(run.RunId, Enumerable.Range(0, 100_000).Select(i => new MetricPoint("v", i, 1, i)).ToList());
        var buckets = Store.GetMetricBuckets(run.RunId, "v", 1000, 50_000, 50_099);
        Assert.Equal(100, buckets.Count);
        Assert.All(buckets, b => Assert.Equal((1L, (double)b.FromStep), (b.Count, b.Last)));
    }

    [Fact]
    public void Buckets_skip_NaN_in_the_envelope_but_report_it_as_last()
    {
        var run = NewRun();
        Store.LogMetrics(run.RunId, [new("v", 1, 1, 0), new("v", double.NaN, 1, 1)]);
        var b = Assert.Single(Store.GetMetricBuckets(run.RunId, "v", 1));
        Assert.Equal((1.0, 1.0), (b.Min, b.Max));
        Assert.True(double.IsNaN(b.Last));
    }

    [Fact]
    public void Metrics_of_a_missing_key_are_empty()
    {
        var run = NewRun();
        Assert.Empty(Store.GetMetricHistory(run.RunId, "nope"));
        Assert.Empty(Store.GetMetricBuckets(run.RunId, "nope", 10));
    }

    [Fact]
    public void Logging_to_a_deleted_run_is_refused()
    {
        var run = NewRun();
        Store.DeleteRun(run.RunId);
        var e = Assert.Throws<StoreException>(() => Store.LogMetric(run.RunId, "x", 1, 0));
        Assert.Equal(StoreErrorCode.InvalidState, e.Code);
    }

    [Fact]
    public void Logging_to_a_finished_run_is_allowed()
    {
        var run = NewRun();
        Store.UpdateRun(run.RunId, new RunUpdate { Status = RunStatus.FINISHED, EndTime = 1 });
        Store.LogMetric(run.RunId, "x", 1, 0);
        Assert.Single(Store.GetMetricSummaries(run.RunId));
    }

    [Fact]
    public void Artifacts_are_recorded_with_size_and_hash()
    {
        var run = NewRun();
        Store.RecordArtifact(run.RunId, new ArtifactInfo("logs/output.log", 12, "ab"));
        Store.RecordArtifact(run.RunId, new ArtifactInfo("logs/output.log", 13, "cd"));
        Assert.Equal([new ArtifactInfo("logs/output.log", 13, "cd")], Store.ListArtifacts(run.RunId));
    }

    [Fact]
    public void Search_filters_and_sorts_by_latest_metric()
    {
        var runs = new[] { 0.5, 0.95, 0.8, double.NaN }.Select((acc, i) =>
        {
            var r = NewRun(name: $"r{i}");
            Store.LogBatch(r.RunId, new RunBatch { Metrics = [new("acc", acc, 1, 1)], Params = [new("lr", i % 2 == 0 ? "0.1" : "0.01")] });
            return r;
        }).ToList();
        var page = Store.SearchRuns(new RunQuery { Filter = "metrics.acc > 0.6", OrderBy = ["metrics.acc DESC"] });
        Assert.Equal(["r1", "r2"], page.Runs.Select(r => r.Name));
        var sorted = Store.SearchRuns(new RunQuery { OrderBy = ["metrics.acc ASC"] });
        Assert.Equal(["r0", "r2", "r1", "r3"], sorted.Runs.Select(r => r.Name));
        var byParam = Store.SearchRuns(new RunQuery { Filter = "params.lr = '0.01'" });
        Assert.Equal(["r3", "r1"], byParam.Runs.Select(r => r.Name));
    }

    [Fact]
    public void Search_pages_with_tokens()
    {
        for (int i = 0; i < 5; i++) NewRun(name: $"r{i}");
        var first = Store.SearchRuns(new RunQuery { MaxResults = 2, OrderBy = ["attributes.run_name"] });
        var second = Store.SearchRuns(new RunQuery { MaxResults = 2, OrderBy = ["attributes.run_name"], PageToken = first.NextPageToken });
        var third = Store.SearchRuns(new RunQuery { MaxResults = 2, OrderBy = ["attributes.run_name"], PageToken = second.NextPageToken });
        Assert.Equal(["r0", "r1", "r2", "r3", "r4"], first.Runs.Concat(second.Runs).Concat(third.Runs).Select(r => r.Name));
        Assert.Null(third.NextPageToken);
    }

    [Fact]
    public void Search_hides_deleted_runs_unless_asked()
    {
        var a = NewRun(name: "a");
        Store.DeleteRun(a.RunId);
        Assert.Empty(Store.SearchRuns(new RunQuery()).Runs);
        Assert.Single(Store.SearchRuns(new RunQuery { ViewType = ViewType.DeletedOnly }).Runs);
    }

    [Fact]
    public void Search_restricts_to_experiments()
    {
        var e = Store.CreateExperiment("e");
        NewRun(e.ExperimentId, "in");
        NewRun(name: "out");
        Assert.Equal(["in"], Store.SearchRuns(new RunQuery { ExperimentIds = [e.ExperimentId] }).Runs.Select(r => r.Name));
    }

    [Fact]
    public void Malformed_filter_raises_a_positioned_error()
    {
        var e = Assert.Throws<FilterSyntaxException>(() => Store.SearchRuns(new RunQuery { Filter = "metrics.acc >> 1" }));
        Assert.Equal(13, e.Position);
    }

    [Fact]
    public void Injection_in_a_filter_value_matches_nothing_and_changes_nothing()
    {
        var run = NewRun();
        Store.LogParam(run.RunId, "x", "a");
        var page = Store.SearchRuns(new RunQuery { Filter = "params.x = 'a'' OR 1=1 --'" });
        Assert.Empty(page.Runs);
        Assert.Single(Store.SearchRuns(new RunQuery()).Runs);
    }

    [Fact]
    public void Running_runs_are_listed_for_crash_recovery()
    {
        var a = NewRun();
        var b = NewRun();
        Store.UpdateRun(b.RunId, new RunUpdate { Status = RunStatus.FINISHED });
        Assert.Equal([a.RunId], Store.ListRunningRuns().Select(r => r.RunId));
    }
}
