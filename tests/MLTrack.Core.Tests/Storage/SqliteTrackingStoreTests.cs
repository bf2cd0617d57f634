using Microsoft.Data.Sqlite;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Sqlite;

namespace MLTrack.Core.Tests.Storage;

/// <summary>What only the SQLite store does: its file, WAL mode, reopening; the shared behaviour is in Contracts/.</summary>
public sealed class SqliteTrackingStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-store-").FullName;
    private string DbPath => Path.Combine(_dir, ".mltrack", "mltrack.db");

    private ITrackingStore? _store;
    private ITrackingStore Store => _store ??= CreateStore();

    private ITrackingStore CreateStore() => SqliteTrackingStore.Open(DbPath);

    public void Dispose()
    {
        _store?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Opening_creates_the_file_in_wal_mode_at_the_latest_schema()
    {
        _ = Store.ListExperiments();
        using var c = new SqliteConnection($"Data Source={DbPath}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode; ";
        Assert.Equal("wal", cmd.ExecuteScalar());
        cmd.CommandText = "PRAGMA user_version;";
        Assert.Equal((long)SqliteMigrator.LatestVersion, cmd.ExecuteScalar());
    }

    [Fact]
    public void Data_survives_reopening()
    {
        var run = Store.CreateRun(new NewRun { Name = "kept" });
        Store.LogMetric(run.RunId, "loss", 0.5, 1);
        Store.Dispose();
        using var reopened = SqliteTrackingStore.Open(DbPath);
        Assert.Equal("kept", reopened.GetRun(run.RunId).Name);
        Assert.Single(reopened.GetMetricHistory(run.RunId, "loss"));
    }

    [Fact]
    public void A_file_that_is_not_sqlite_is_refused_and_left_untouched()
    {
        var path = Path.Combine(_dir, "notes.db");
        File.WriteAllText(path, "these are my notes, not a database");
        var e = Assert.Throws<StoreException>(() => SqliteTrackingStore.Open(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not an SQLite database", e.Message);
        Assert.Equal("these are my notes, not a database", File.ReadAllText(path));
        Assert.Equal(["notes.db"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void A_store_path_under_a_file_gives_an_error_naming_the_path()
    {
        var file = Path.Combine(_dir, "plain");
        File.WriteAllText(file, "x");
        var e = Assert.Throws<StoreException>(() => SqliteTrackingStore.Open(Path.Combine(file, "mltrack.db")));
        Assert.Contains(file, e.Message);
        Assert.Equal(StoreErrorCode.StoreUnavailable, e.Code);
    }

    [Fact]
    public void A_store_from_a_newer_version_is_refused()
    {
        _ = Store.ListExperiments();
        Store.Dispose();
        using (var c = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA user_version = 999;";
            cmd.ExecuteNonQuery();
        }
        var e = Assert.Throws<StoreException>(() => SqliteTrackingStore.Open(DbPath));
        Assert.Contains("999", e.Message);
    }

    [Fact]
    public void A_store_locked_by_another_process_gives_an_error_naming_the_path_and_keeps_what_was_stored()
    {
        var run = Store.CreateRun(new NewRun { Name = "before" });
        Store.Dispose();
        using var locked = SqliteTrackingStore.Open(DbPath, busyTimeout: TimeSpan.FromSeconds(1));
        using (var holder = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            holder.Open();
            using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE;";
                begin.ExecuteNonQuery();
            }
            var e = Assert.Throws<StoreException>(() => locked.LogMetric(run.RunId, "loss", 1, 1));
            Assert.Equal(StoreErrorCode.StoreUnavailable, e.Code);
            Assert.Contains(DbPath, e.Message);
            Assert.Contains("locked", e.Message);
        }
        Assert.Equal("before", locked.GetRun(run.RunId).Name);
        Assert.Empty(locked.GetMetricSummaries(run.RunId));
    }

    [Fact]
    public void Ambiguous_prefix_names_the_candidates()
    {
        var a = Store.CreateRun(new NewRun());
        var b = Store.CreateRun(new NewRun());
        RewriteRunId(a.RunId, "abcdef01" + new string('0', 24));
        RewriteRunId(b.RunId, "abcdef02" + new string('0', 24));
        var e = Assert.Throws<StoreException>(() => Store.ResolveRunId("abcdef"));
        Assert.Equal(StoreErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("ambiguous", e.Message);
        Assert.Contains("abcdef01", e.Message);
        Assert.Equal("abcdef02" + new string('0', 24), Store.ResolveRunId("abcdef02"));
    }

    private void RewriteRunId(string from, string to)
    {
        using var c = new SqliteConnection($"Data Source={DbPath}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE runs SET run_id = @to WHERE run_id = @from";
        cmd.Parameters.AddWithValue("@to", to);
        cmd.Parameters.AddWithValue("@from", from);
        cmd.ExecuteNonQuery();
    }
}
