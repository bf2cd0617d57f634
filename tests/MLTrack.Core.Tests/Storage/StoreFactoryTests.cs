using MLTrack.Core.Runs;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Postgres;
using MLTrack.Core.Storage.Sqlite;
using Npgsql;

namespace MLTrack.Core.Tests.Storage;

/// <summary>
/// The one factory: a path or sqlite URI opens the embedded store, postgresql:// the team store (migrated on open),
/// anything else is refused before anything is created. The PostgreSQL cases use the cluster test.sh starts
/// (<c>MLTRACK_TEST_POSTGRES</c>), each in a database of its own.
/// </summary>
public sealed class StoreFactoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-factory-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_plain_path_opens_a_sqlite_store_with_its_artifacts_beside_it()
    {
        var path = Path.Combine(_dir, ".mltrack", "mltrack.db");
        using var store = StoreFactory.Open(path);
        Assert.IsType<SqliteTrackingStore>(store);
        Assert.Equal(path, store.Location);
        Assert.Equal(Path.Combine(_dir, ".mltrack", "artifacts"), store.ArtifactRoot);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void A_sqlite_uri_opens_the_file_relative_to_the_base_folder()
    {
        using var store = StoreFactory.Open("sqlite:///runs/mltrack.db", new StoreOpenOptions { BaseDirectory = _dir });
        Assert.Equal(Path.Combine(_dir, "runs", "mltrack.db"), store.Location);
    }

    [Fact]
    public void The_path_and_the_uri_of_one_file_open_the_same_data()
    {
        var path = Path.Combine(_dir, "mltrack.db");
        string runId;
        using (var first = StoreFactory.Open(path)) runId = first.CreateRun(new NewRun { Name = "r" }).RunId;
        using var second = StoreFactory.Open("sqlite:///" + path);
        Assert.Equal("r", second.GetRun(runId).Name);
    }

    [Fact]
    public void An_explicit_artifact_root_is_used()
    {
        var root = Path.Combine(_dir, "elsewhere");
        using var store = StoreFactory.Open(Path.Combine(_dir, "mltrack.db"), new StoreOpenOptions { ArtifactRoot = root });
        Assert.Equal(root, store.ArtifactRoot);
    }

    [Fact]
    public void An_unknown_scheme_is_refused_before_anything_is_created()
    {
        var e = Assert.Throws<StoreException>(() => StoreFactory.Open("mongodb://localhost/runs", new StoreOpenOptions { BaseDirectory = _dir }));
        Assert.Contains("unknown scheme 'mongodb://'", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public void A_note_about_the_opening_goes_to_the_notice_callback()
    {
        if (!StorePermissions.Applies) return; // permissions are ACLs on Windows: no note to give
        var folder = Path.Combine(_dir, ".mltrack");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, StorePermissions.FolderMode | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var notes = new List<string>();
        using var store = StoreFactory.Open(Path.Combine(folder, "mltrack.db"), new StoreOpenOptions { Notice = notes.Add });
        Assert.Contains(notes, n => n.Contains("owner-only"));
    }

    [Fact]
    public void A_postgresql_uri_opens_the_team_store_migrated_to_the_latest_schema()
    {
        using var database = TemporaryDatabase.Create();
        using var store = StoreFactory.Open(database.Uri, new StoreOpenOptions { ArtifactRoot = Path.Combine(_dir, "artifacts") });
        Assert.IsType<PostgresTrackingStore>(store);
        Assert.DoesNotContain("password", store.Location);
        Assert.EndsWith("/" + database.Name, store.Location);
        Assert.Equal(Path.Combine(_dir, "artifacts"), store.ArtifactRoot);
        Assert.Equal(PostgresTrackingStore.SchemaVersion, database.Scalar<int>("SELECT max(version) FROM mltrack_migrations"));
    }

    [Fact]
    public void A_postgresql_server_that_does_not_answer_is_StoreUnavailable_naming_host_and_port()
    {
        var e = Assert.Throws<StoreException>(() => StoreFactory.Open("postgresql://postgres@127.0.0.1:1/x", new StoreOpenOptions { ArtifactRoot = _dir }));
        Assert.Equal(StoreErrorCode.StoreUnavailable, e.Code);
        Assert.Contains("127.0.0.1:1", e.Message);
    }

    /// <summary>A database of its own in the test cluster, dropped afterwards.</summary>
    private sealed class TemporaryDatabase : IDisposable
    {
        private readonly string _admin;

        private TemporaryDatabase(string admin, string name, string uri)
        {
            _admin = admin;
            Name = name;
            Uri = uri;
        }

        public string Name { get; }
        public string Uri { get; }

        public static TemporaryDatabase Create()
        {
            var admin = Environment.GetEnvironmentVariable("MLTRACK_TEST_POSTGRES");
            Assert.False(string.IsNullOrEmpty(admin), "MLTRACK_TEST_POSTGRES is not set: run ./test.sh, or start a cluster with tests/postgres/cluster.sh and export its URI.");
            var name = "t_factory_" + Guid.NewGuid().ToString("N")[..12];
            using (var c = new NpgsqlConnection(PostgresTarget.Parse(admin!).ConnectionString))
            {
                c.Open();
                using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
                cmd.ExecuteNonQuery();
            }
            var builder = new UriBuilder(admin!) { Path = "/" + name };
            return new TemporaryDatabase(admin!, name, builder.Uri.ToString());
        }

        public T Scalar<T>(string sql)
        {
            using var c = new NpgsqlConnection(PostgresTarget.Parse(Uri).ConnectionString);
            c.Open();
            using var cmd = new NpgsqlCommand(sql, c);
            return (T)Convert.ChangeType(cmd.ExecuteScalar()!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
        }

        public void Dispose()
        {
            NpgsqlConnection.ClearAllPools();
            using var c = new NpgsqlConnection(PostgresTarget.Parse(_admin).ConnectionString);
            c.Open();
            using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", c);
            cmd.ExecuteNonQuery();
        }
    }
}
