using MLTrack.Core.Deploy;
using MLTrack.Core.Lineage;
using MLTrack.Core.Reports;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Postgres;

namespace MLTrack.Core.Tests.Storage.Postgres;

/// <summary>
/// The areas the shared contract does not cover yet (lineage, deployments, reports, preferences, and some of
/// experiments and runs), held to what the SQLite store does.
/// </summary>
public sealed class PostgresStoreAreasTests : IDisposable
{
    private readonly PostgresTestDatabase _db = new();
    private readonly string _artifacts = Directory.CreateTempSubdirectory("mltrack-pg-artifacts-").FullName;
    private readonly PostgresTrackingStore _store;

    public PostgresStoreAreasTests()
    {
        _store = PostgresTrackingStore.Open(_db.Uri, _artifacts);
    }

    public void Dispose()
    {
        _store.Dispose();
        _db.Dispose();
        Directory.Delete(_artifacts, recursive: true);
    }

    [Fact]
    public void Renaming_an_experiment_to_a_taken_name_is_refused()
    {
        _store.CreateExperiment("a");
        var b = _store.CreateExperiment("b");

        var e = Assert.Throws<StoreException>(() => _store.RenameExperiment(b.ExperimentId, "a"));

        Assert.Equal(StoreErrorCode.ResourceAlreadyExists, e.Code);
        Assert.Equal("Experiment 'a' already exists.", e.Message);
        Assert.Equal("b", _store.GetExperiment(b.ExperimentId).Name);
    }

    [Fact]
    public void Deleting_an_experiment_deletes_its_runs_and_restoring_it_restores_them()
    {
        var e = _store.CreateExperiment("e");
        var run = _store.CreateRun(new NewRun { ExperimentId = e.ExperimentId });

        _store.DeleteExperiment(e.ExperimentId);
        Assert.True(_store.GetRun(run.RunId).IsDeleted);
        Assert.Equal(StoreErrorCode.InvalidState, Assert.Throws<StoreException>(() => _store.CreateRun(new NewRun { ExperimentId = e.ExperimentId })).Code);

        _store.RestoreExperiment(e.ExperimentId);
        Assert.False(_store.GetRun(run.RunId).IsDeleted);
    }

    [Fact]
    public void Runs_are_counted_per_experiment_without_deleted_ones()
    {
        var e = _store.CreateExperiment("e");
        _store.CreateRun(new NewRun { ExperimentId = e.ExperimentId });
        _store.CreateRun(new NewRun { ExperimentId = e.ExperimentId });
        _store.DeleteRun(_store.CreateRun(new NewRun()).RunId);

        var counts = _store.CountRunsByExperiment();

        Assert.Equal(new Dictionary<string, int> { [e.ExperimentId] = 2 }, counts);
    }

    [Fact]
    public void An_ambiguous_prefix_is_refused_naming_the_matches()
    {
        var a = _store.CreateRun(new NewRun { RunId = "abcdef" + new string('0', 26) });
        var b = _store.CreateRun(new NewRun { RunId = "abcdef" + new string('1', 26) });

        var e = Assert.Throws<StoreException>(() => _store.ResolveRunId("abcdef"));

        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains(a.RunId, e.Message, StringComparison.Ordinal);
        Assert.Contains(b.RunId, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_caller_chosen_run_id_is_used_once()
    {
        var id = new string('a', 32);
        _store.CreateRun(new NewRun { RunId = id });

        var e = Assert.Throws<StoreException>(() => _store.CreateRun(new NewRun { RunId = id }));

        Assert.Equal(StoreErrorCode.ResourceAlreadyExists, e.Code);
    }

    [Fact]
    public void Deleting_a_missing_tag_is_resource_does_not_exist()
    {
        var run = _store.CreateRun(new NewRun());

        var e = Assert.Throws<StoreException>(() => _store.DeleteTag(run.RunId, "nope"));

        Assert.Equal(StoreErrorCode.ResourceDoesNotExist, e.Code);
    }

    [Fact]
    public void A_param_change_is_refused_in_mlflows_words()
    {
        var run = _store.CreateRun(new NewRun());
        _store.LogParam(run.RunId, "lr", "0.1");

        var e = Assert.Throws<StoreException>(() => _store.LogParams(run.RunId, [new("a", "1"), new("lr", "0.2")]));

        Assert.Equal(
            $"Changing param values is not allowed. Param with key='lr' was already logged with value='0.1' for run ID='{run.RunId}'. Attempted logging new value '0.2'.",
            e.Message);
        Assert.False(_store.GetRun(run.RunId).Params.ContainsKey("a"));
    }

    [Fact]
    public void A_batch_giving_one_param_two_values_is_refused()
    {
        var run = _store.CreateRun(new NewRun());

        var e = Assert.Throws<StoreException>(() => _store.LogParams(run.RunId, [new("lr", "0.1"), new("lr", "0.2")]));

        Assert.Contains("value='0.1'", e.Message, StringComparison.Ordinal);
        Assert.Empty(_store.GetRun(run.RunId).Params);
    }

    [Fact]
    public void An_idempotent_batch_applied_twice_writes_once()
    {
        var run = _store.CreateRun(new NewRun());
        _store.LogBatch(run.RunId, new RunBatch { IdempotencyKey = "k", Tags = [new("t", "first")] });

        _store.LogBatch(run.RunId, new RunBatch { IdempotencyKey = "k", Tags = [new("t", "second")] });

        Assert.Equal("first", _store.GetRun(run.RunId).Tags["t"]);
    }

    [Fact]
    public void Run_files_replace_by_direction_and_path_and_are_found_by_hash()
    {
        var a = _store.CreateRun(new NewRun { StartTime = 1 });
        var b = _store.CreateRun(new NewRun { StartTime = 2 });
        _store.RecordRunFiles(a.RunId, [new RunFile(FileDirection.Output, "model.pt", 1, "h1"), new RunFile(FileDirection.Input, "data.csv", 5, "h0")]);
        _store.RecordRunFiles(a.RunId, [new RunFile(FileDirection.Output, "model.pt", 2, "h2")]);
        _store.RecordRunFiles(b.RunId, [new RunFile(FileDirection.Input, "model.pt", 2, "h2")]);

        Assert.Equal([new RunFile(FileDirection.Input, "data.csv", 5, "h0"), new RunFile(FileDirection.Output, "model.pt", 2, "h2")], _store.ListRunFiles(a.RunId));
        Assert.Equal([a.RunId, b.RunId], _store.FindRunsByFile("h2").Select(x => x.RunId));
        _store.DeleteRun(b.RunId);
        Assert.Equal([a.RunId], _store.FindRunsByFile("h2").Select(x => x.RunId));
    }

    [Fact]
    public void Deployments_are_saved_replaced_listed_newest_first_and_deleted()
    {
        _store.SaveDeployment(Deployment("d1", "r1", createdAt: 1));
        _store.SaveDeployment(Deployment("d2", "r2", createdAt: 2));
        _store.SaveDeployment(Deployment("d1", "r1", createdAt: 1) with { Status = DeploymentStatus.READY, EndpointUrl = "http://x", HostPid = 7 });

        Assert.Equal(["d2", "d1"], _store.ListDeployments().Select(d => d.DeploymentId));
        Assert.Equal(["d1"], _store.ListDeployments("r1").Select(d => d.DeploymentId));
        var d1 = _store.FindDeployment("d1")!;
        Assert.Equal((DeploymentStatus.READY, "http://x", 7, 2.0), (d1.Status, d1.EndpointUrl, d1.HostPid, d1.Settings.Cpu));
        Assert.True(_store.DeleteDeployment("d1"));
        Assert.False(_store.DeleteDeployment("d1"));
        Assert.Null(_store.FindDeployment("d1"));
    }

    [Fact]
    public void Reports_are_listed_by_overlapping_window_and_type_newest_first()
    {
        _store.SaveReport(Report("early", "cost", 0, 100, createdAt: 1));
        _store.SaveReport(Report("late", "executive", 100, 200, createdAt: 2));
        _store.SaveReport(Report("late", "executive", 100, 200, createdAt: 3) with { Title = "again" });

        Assert.Equal(["late", "early"], _store.ListReports().Select(r => r.ReportId));
        Assert.Equal(["early"], _store.ListReports(to: 100).Select(r => r.ReportId));
        Assert.Equal(["late"], _store.ListReports(from: 100).Select(r => r.ReportId));
        Assert.Equal(["early"], _store.ListReports(type: "cost").Select(r => r.ReportId));
        Assert.Equal("again", _store.FindReport("late")!.Title);
        Assert.True(_store.DeleteReport("late"));
        Assert.Null(_store.FindReport("late"));
    }

    [Fact]
    public void Preferences_are_kept_per_user_and_replaced()
    {
        Assert.Null(_store.GetPreferences("ada"));
        _store.SavePreferences("ada", """{"density":"compact"}""");
        _store.SavePreferences("ada", """{"density":"roomy"}""");
        _store.SavePreferences("bob", "{}");

        Assert.Equal("""{"density":"roomy"}""", _store.GetPreferences("ada"));
        Assert.Equal("{}", _store.GetPreferences("bob"));
    }

    private static DeploymentRecord Deployment(string id, string runId, long createdAt) => new()
    {
        DeploymentId = id,
        RunId = runId,
        Target = "local",
        Name = id,
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
        Settings = new DeploymentSettings { Cpu = 2 },
    };

    private static ReportRecord Report(string id, string type, long from, long to, long createdAt) => new()
    {
        ReportId = id,
        Type = type,
        Title = id,
        From = from,
        To = to,
        TimeZone = "UTC",
        CreatedAt = createdAt,
    };
}
