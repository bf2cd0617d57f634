using MLTrack.Core.Storage.Postgres;
using Npgsql;

namespace MLTrack.Core.Tests.Storage.Postgres;

/// <summary>
/// A fresh database in the test server named by <c>MLTRACK_TEST_POSTGRES</c> (./test.sh starts one), uniquely
/// named and dropped on Dispose. <paramref name="localeAware"/> gives it ICU's en-US collation as its default, so
/// tests show the store orders bytewise whatever the database's locale.
/// </summary>
internal sealed class PostgresTestDatabase : IDisposable
{
    public const string ServerVariable = "MLTRACK_TEST_POSTGRES";

    private readonly string _adminUri;

    public string Name { get; } = "t_pgruns_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>postgresql://… of this database, for <c>PostgresTrackingStore.Open</c>.</summary>
    public string Uri { get; }

    public PostgresTestDatabase(bool localeAware = false)
    {
        _adminUri = Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } uri
            ? uri
            : throw new InvalidOperationException(
                $"{ServerVariable} is not set: run ./test.sh (it starts a PostgreSQL cluster) or set it to postgresql://user@host:port/db of a server where databases may be created.");
        var builder = new UriBuilder(_adminUri) { Path = "/" + Name };
        Uri = builder.Uri.ToString();
        Admin(localeAware
            ? $"CREATE DATABASE {Name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
            : $"CREATE DATABASE {Name}");
    }

    /// <summary>Runs <paramref name="sql"/> in this database on a connection of its own.</summary>
    public void Execute(string sql, params (string Name, object? Value)[] args)
    {
        using var c = Connect();
        using var cmd = new NpgsqlCommand(sql, c);
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        cmd.ExecuteNonQuery();
    }

    public object? Scalar(string sql)
    {
        using var c = Connect();
        using var cmd = new NpgsqlCommand(sql, c);
        return cmd.ExecuteScalar();
    }

    public NpgsqlConnection Connect()
    {
        var c = new NpgsqlConnection(PostgresTarget.Parse(Uri).ConnectionString + ";Pooling=false");
        c.Open();
        return c;
    }

    public void Dispose()
    {
        Admin($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private void Admin(string sql)
    {
        using var c = new NpgsqlConnection(PostgresTarget.Parse(_adminUri).ConnectionString + ";Pooling=false");
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }
}
