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

/// <summary>What every store does for IRunStore: experiments, runs, params and tags, log-batch, filtered search, names. Run by each implementation (see StoreContracts.cs).</summary>
public abstract class RunStoreContract : StoreContract
{
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
    public void A_run_created_with_an_artifact_location_has_that_location_and_its_id_as_artifact_uri()
    {
        var run = Store.CreateRun(new NewRun { Name = "r", ArtifactLocation = "s3://team-bucket/mltrack/" });
        Assert.Equal($"s3://team-bucket/mltrack/{run.RunId}", Store.GetRun(run.RunId).ArtifactUri);
    }

    [Fact]
    public void A_run_created_without_an_artifact_location_has_a_file_uri_under_the_store_artifact_root()
    {
        var run = Store.CreateRun(new NewRun { Name = "r" });
        Assert.Equal(new Uri(Path.Combine(Store.ArtifactRoot, run.RunId)).AbsoluteUri, Store.GetRun(run.RunId).ArtifactUri);
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

    [Fact]
    public void A_batch_with_one_invisible_character_in_a_key_is_refused_whole()
    {
        var run = NewRun();

        var e = Assert.Throws<StoreException>(() => Store.LogBatch(run.RunId, new RunBatch
        {
            Metrics = [new("ok", 1, 1, 0), new("l\u202Eoss", 2, 1, 0)],
            Params = [new("lr", "0.1")],
        }));

        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("U+202E RIGHT-TO-LEFT OVERRIDE at position 1", e.Message);
        var stored = Store.GetRun(run.RunId);
        Assert.Empty(stored.Metrics);
        Assert.Empty(stored.Params);
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\u200Bb")]
    [InlineData("a//b")]
    public void Param_and_tag_keys_follow_the_rule(string key)
    {
        var run = NewRun();

        Assert.Throws<StoreException>(() => Store.LogBatch(run.RunId, new RunBatch { Params = [new(key, "v")] }));
        Assert.Throws<StoreException>(() => Store.LogBatch(run.RunId, new RunBatch { Tags = [new(key, "v")] }));
        Assert.Throws<StoreException>(() => Store.SetTag(run.RunId, key, "v"));
        Assert.Throws<StoreException>(() => Store.SetExperimentTag(run.ExperimentId, key, "v"));
        Assert.Throws<StoreException>(() => Store.CreateRun(new NewRun { Tags = new Dictionary<string, string> { [key] = "v" } }));
        Assert.DoesNotContain(key, Store.GetRun(run.RunId).Tags.Keys);
    }

    [Fact]
    public void Run_and_experiment_names_with_invisible_characters_are_refused()
    {
        var run = NewRun(name: "before");

        Assert.Throws<StoreException>(() => Store.CreateRun(new NewRun { Name = "evil\u202Etxt.exe" }));
        Assert.Throws<StoreException>(() => Store.UpdateRun(run.RunId, new RunUpdate { Name = "two\nlines" }));
        Assert.Throws<StoreException>(() => Store.CreateExperiment("exp\u200B"));
        Assert.Throws<StoreException>(() => Store.RenameExperiment(run.ExperimentId, "exp\t"));
        Assert.Equal("before", Store.GetRun(run.RunId).Name);
    }

    [Fact]
    public void Renaming_an_experiment_to_a_taken_name_is_refused()
    {
        Store.CreateExperiment("a");
        var b = Store.CreateExperiment("b");

        var e = Assert.Throws<StoreException>(() => Store.RenameExperiment(b.ExperimentId, "a"));

        Assert.Equal(StoreErrorCode.ResourceAlreadyExists, e.Code);
        Assert.Equal("Experiment 'a' already exists.", e.Message);
        Assert.Equal("b", Store.GetExperiment(b.ExperimentId).Name);
    }

    [Fact]
    public void Deleting_an_experiment_deletes_its_runs_and_restoring_it_restores_them()
    {
        var e = Store.CreateExperiment("e");
        var run = Store.CreateRun(new NewRun { ExperimentId = e.ExperimentId });

        Store.DeleteExperiment(e.ExperimentId);
        Assert.True(Store.GetRun(run.RunId).IsDeleted);
        Assert.Equal(StoreErrorCode.InvalidState, Assert.Throws<StoreException>(() => Store.CreateRun(new NewRun { ExperimentId = e.ExperimentId })).Code);

        Store.RestoreExperiment(e.ExperimentId);
        Assert.False(Store.GetRun(run.RunId).IsDeleted);
    }

    [Fact]
    public void Runs_are_counted_per_experiment_without_deleted_ones()
    {
        var e = Store.CreateExperiment("e");
        Store.CreateRun(new NewRun { ExperimentId = e.ExperimentId });
        Store.CreateRun(new NewRun { ExperimentId = e.ExperimentId });
        Store.DeleteRun(Store.CreateRun(new NewRun()).RunId);

        var counts = Store.CountRunsByExperiment();

        Assert.Equal(new Dictionary<string, int> { [e.ExperimentId] = 2 }, counts);
    }

    [Fact]
    public void An_ambiguous_prefix_is_refused_naming_the_matches()
    {
        var a = Store.CreateRun(new NewRun { RunId = "abcdef" + new string('0', 26) });
        var b = Store.CreateRun(new NewRun { RunId = "abcdef" + new string('1', 26) });

        var e = Assert.Throws<StoreException>(() => Store.ResolveRunId("abcdef"));

        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains(a.RunId, e.Message, StringComparison.Ordinal);
        Assert.Contains(b.RunId, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_caller_chosen_run_id_is_used_once()
    {
        var id = new string('a', 32);
        Store.CreateRun(new NewRun { RunId = id });

        var e = Assert.Throws<StoreException>(() => Store.CreateRun(new NewRun { RunId = id }));

        Assert.Equal(StoreErrorCode.ResourceAlreadyExists, e.Code);
    }

    [Fact]
    public void Deleting_a_missing_tag_is_resource_does_not_exist()
    {
        var run = Store.CreateRun(new NewRun());

        var e = Assert.Throws<StoreException>(() => Store.DeleteTag(run.RunId, "nope"));

        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
    }

    [Fact]
    public void A_param_change_is_refused_in_mlflows_words()
    {
        var run = Store.CreateRun(new NewRun());
        Store.LogParam(run.RunId, "lr", "0.1");

        var e = Assert.Throws<StoreException>(() => Store.LogParams(run.RunId, [new("a", "1"), new("lr", "0.2")]));

        Assert.Equal(
            $"Changing param values is not allowed. Param with key='lr' was already logged with value='0.1' for run ID='{run.RunId}'. Attempted logging new value '0.2'.",
            e.Message);
        Assert.False(Store.GetRun(run.RunId).Params.ContainsKey("a"));
    }

    [Fact]
    public void A_batch_giving_one_param_two_values_is_refused()
    {
        var run = Store.CreateRun(new NewRun());

        var e = Assert.Throws<StoreException>(() => Store.LogParams(run.RunId, [new("lr", "0.1"), new("lr", "0.2")]));

        Assert.Contains("value='0.1'", e.Message, StringComparison.Ordinal);
        Assert.Empty(Store.GetRun(run.RunId).Params);
    }

    [Fact]
    public void An_idempotent_batch_applied_twice_writes_once()
    {
        var run = Store.CreateRun(new NewRun());
        Store.LogBatch(run.RunId, new RunBatch { IdempotencyKey = "k", Tags = [new("t", "first")] });

        Store.LogBatch(run.RunId, new RunBatch { IdempotencyKey = "k", Tags = [new("t", "second")] });

        Assert.Equal("first", Store.GetRun(run.RunId).Tags["t"]);
    }

    [Fact]
    public void A_restored_run_is_searchable_again_with_its_data()
    {
        var run = NewRun(name: "back");
        Store.LogParam(run.RunId, "lr", "0.1");
        Store.DeleteRun(run.RunId);
        Assert.DoesNotContain(Store.SearchRuns(new RunQuery()).Runs, r => r.RunId == run.RunId);

        Store.RestoreRun(run.RunId);

        var found = Assert.Single(Store.SearchRuns(new RunQuery()).Runs, r => r.RunId == run.RunId);
        Assert.Equal("0.1", found.Params["lr"]);
    }

    [Fact]
    public void Restoring_an_unknown_run_is_resource_does_not_exist()
    {
        var e = Assert.Throws<StoreException>(() => Store.RestoreRun("0123456789abcdef0123456789abcdef"));

        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
    }

    [Fact]
    public void A_store_is_healthy_at_the_schema_it_created()
    {
        var health = Store.CheckHealth();

        Assert.True(health.Healthy, health.Describe());
        Assert.Equal(health.SupportedVersion, health.SchemaVersion);
    }
}
