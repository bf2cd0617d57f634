using Microsoft.Data.Sqlite;
using MLTrack.Core.Accounts;
using MLTrack.Core.Storage.Sqlite;

namespace MLTrack.Core.Tests.Storage.Sqlite;

/// <summary>Migration 7 (accounts) on a store file made by the build before it: opening adds the tables and keeps the data.</summary>
public sealed class SqliteAccountsMigrationTests : IDisposable
{
    private const int PreviousVersion = 6;
    private static readonly string[] AccountTables =
        ["access_tokens", "audit_log", "experiment_owners", "team_members", "teams", "user_identities", "users"];

    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-migration-").FullName;
    private string DbPath => Path.Combine(_dir, "mltrack.db");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_store_at_schema_6_opens_at_the_latest_schema_with_the_account_tables_and_its_experiments()
    {
        CreatePreviousStore("cats");

        using (var store = SqliteTrackingStore.Open(DbPath))
            Assert.Equal("cats", store.FindExperimentByName("cats")?.Name);

        using var c = Connect();
        Assert.Equal((long)SqliteMigrator.LatestVersion, Scalar(c, "PRAGMA user_version;"));
        Assert.Equal(AccountTables, Tables(c).Intersect(AccountTables).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_migrated_store_records_accounts_for_its_existing_experiments()
    {
        CreatePreviousStore("cats");

        using var store = SqliteTrackingStore.Open(DbPath);
        var experiment = store.FindExperimentByName("cats")!;
        var ada = store.CreateUser(new NewUser("ada@example.org"));
        store.SetExperimentOwner(new ExperimentOwner(experiment.ExperimentId, null, ada.UserId));
        Assert.Equal(ada.UserId, store.FindExperimentOwner(experiment.ExperimentId)?.OwnerUserId);
    }

    /// <summary>A store file as the build before accounts left it: migrations 1–6 applied, one experiment made.</summary>
    private void CreatePreviousStore(string experimentName)
    {
        using var c = Connect();
        for (var version = 0; version < PreviousVersion; version++)
        {
            using var tx = c.BeginTransaction();
            using var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = SqliteSchema.Migrations[version] + $"\nPRAGMA user_version = {version + 1};";
            cmd.ExecuteNonQuery();
            tx.Commit();
        }
        using var insert = c.CreateCommand();
        insert.CommandText = "INSERT INTO experiments (name, creation_time, last_update_time) VALUES ($n, 1, 1)";
        insert.Parameters.AddWithValue("$n", experimentName);
        insert.ExecuteNonQuery();
        Assert.Empty(Tables(c).Intersect(AccountTables));
    }

    private SqliteConnection Connect()
    {
        var c = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        c.Open();
        return c;
    }

    private static object? Scalar(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private static List<string> Tables(SqliteConnection c)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        using var r = cmd.ExecuteReader();
        var names = new List<string>();
        while (r.Read()) names.Add(r.GetString(0));
        return names;
    }
}
