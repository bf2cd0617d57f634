using MLTrack.Core.Storage.Postgres;
using Npgsql;

namespace MLTrack.Server.Tests.Composition;

/// <summary>A database of its own in the cluster test.sh starts (<c>MLTRACK_TEST_POSTGRES</c>), dropped when disposed.</summary>
public sealed class TemporaryPostgresDatabase : IDisposable
{
    private readonly string _admin;

    private TemporaryPostgresDatabase(string admin, string uri)
    {
        _admin = admin;
        Uri = uri;
        Name = new Uri(uri).AbsolutePath.Trim('/');
    }

    public string Name { get; }

    /// <summary>postgresql://…/name</summary>
    public string Uri { get; }

    public static TemporaryPostgresDatabase Create()
    {
        var admin = Environment.GetEnvironmentVariable("MLTRACK_TEST_POSTGRES");
        Assert.False(string.IsNullOrEmpty(admin), "MLTRACK_TEST_POSTGRES is not set: run ./test.sh, or start a cluster with tests/postgres/cluster.sh and export its URI.");
        var name = "t_compose_" + Guid.NewGuid().ToString("N")[..12];
        Execute(admin!, $"CREATE DATABASE {name}");
        return new TemporaryPostgresDatabase(admin!, new UriBuilder(admin!) { Path = "/" + name }.Uri.ToString());
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Execute(_admin, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private static void Execute(string uri, string sql)
    {
        using var c = new NpgsqlConnection(PostgresTarget.Parse(uri).ConnectionString);
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }
}
