using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Postgres;

namespace MLTrack.Core.Tests.Storage.Postgres;

public sealed class PostgresMigrationTests : IDisposable
{
    private readonly PostgresTestDatabase _db = new();
    private readonly string _artifacts = Directory.CreateTempSubdirectory("mltrack-pg-artifacts-").FullName;

    public void Dispose()
    {
        _db.Dispose();
        Directory.Delete(_artifacts, recursive: true);
    }

    [Fact]
    public async Task Replicas_opening_a_fresh_database_at_once_apply_each_migration_once()
    {
        var stores = Enumerable.Range(0, 4)
            .Select(_ => Task.Factory.StartNew(() => PostgresTrackingStore.Open(_db.Uri, _artifacts), TaskCreationOptions.LongRunning))
            .ToArray();
        try
        {
            await Task.WhenAll(stores);
        }
        finally
        {
            foreach (var s in stores.Where(s => s.IsCompletedSuccessfully)) (await s).Dispose();
        }

        Assert.Equal((long)PostgresMigrator.Migrations.Count, _db.Scalar("SELECT count(*) FROM mltrack_migrations")); // each step once (numbers may leave gaps)
        Assert.Equal((long)PostgresTrackingStore.SchemaVersion, _db.Scalar("SELECT max(version)::bigint FROM mltrack_migrations"));
        Assert.Equal(1L, _db.Scalar($"SELECT count(*) FROM experiments WHERE name = '{Experiment.DefaultName}'"));
    }

    [Fact]
    public void A_database_migrated_by_a_newer_MLTrack_is_refused_naming_both_versions()
    {
        PostgresTrackingStore.Open(_db.Uri, _artifacts).Dispose();
        var newer = PostgresTrackingStore.SchemaVersion + 1;
        _db.Execute("INSERT INTO mltrack_migrations (version, name) VALUES (@v, 'from_the_future')", ("v", newer));

        var e = Assert.Throws<StoreException>(() => PostgresTrackingStore.Open(_db.Uri, _artifacts));

        Assert.Equal(StoreErrorCode.StoreUnavailable, e.Code);
        Assert.Contains($"schema version {newer}", e.Message, StringComparison.Ordinal);
        Assert.Contains($"({PostgresTrackingStore.SchemaVersion})", e.Message, StringComparison.Ordinal);
        Assert.Contains(_db.Name, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reopening_a_migrated_database_keeps_its_data()
    {
        string runId;
        using (var first = PostgresTrackingStore.Open(_db.Uri, _artifacts))
        {
            runId = first.CreateRun(new NewRun { Name = "kept" }).RunId;
            first.LogParam(runId, "lr", "0.1");
        }

        using var again = PostgresTrackingStore.Open(_db.Uri, _artifacts);

        var run = again.GetRun(runId);
        Assert.Equal(("kept", "0.1"), (run.Name, run.Params["lr"]));
    }
}
