using System.Diagnostics;
using Npgsql;

namespace MLTrack.Bench;

/// <summary>
/// The team bench's databases by name, for either backend: SQLite files in the scratch folder, or databases on a
/// private PostgreSQL cluster (tests/postgres/cluster.sh) kept in the scratch folder so seeds survive between runs.
/// </summary>
public static class BenchDatabases
{
    public static string Start(BenchContext ctx, string dir) => Cluster(ctx, "start", dir).Trim();

    public static void Stop(BenchContext ctx, string dir) => Cluster(ctx, "stop", dir);

    public static string DatabaseUri(string serverUri, string name) => serverUri[..(serverUri.LastIndexOf('/') + 1)] + name;

    public static bool Exists(BenchContext ctx, string backend, string serverUri, string name) => backend == "SQLite"
        ? File.Exists(SqlitePath(ctx, name))
        : Scalar(serverUri, $"SELECT count(*) FROM pg_database WHERE datname = '{name}'") is long n && n > 0;

    public static void Create(string backend, string serverUri, string name)
    {
        if (backend != "SQLite") Scalar(serverUri, $"CREATE DATABASE {name}");
    }

    public static void Drop(BenchContext ctx, string backend, string serverUri, string name)
    {
        if (backend == "SQLite")
        {
            foreach (var f in new[] { "", "-wal", "-shm" }) File.Delete(SqlitePath(ctx, name) + f);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }
        else
        {
            NpgsqlConnection.ClearAllPools();
            Scalar(serverUri, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }

    public static void Rename(BenchContext ctx, string backend, string serverUri, string from, string to)
    {
        if (backend == "SQLite")
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Move(SqlitePath(ctx, from), SqlitePath(ctx, to));
        }
        else
        {
            NpgsqlConnection.ClearAllPools();
            Scalar(serverUri, $"ALTER DATABASE {from} RENAME TO {to}");
        }
    }

    private static string SqlitePath(BenchContext ctx, string name) => Path.Combine(ctx.ScratchDir, name + ".db");

    private static object? Scalar(string serverUri, string sql)
    {
        var target = MLTrack.Core.Storage.Postgres.PostgresTarget.Parse(serverUri);
        using var c = new NpgsqlConnection(target.ConnectionString);
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        return cmd.ExecuteScalar();
    }

    private static string Cluster(BenchContext ctx, string command, string dir)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(ctx.RepoRoot, "tests", "postgres", "cluster.sh"));
        psi.ArgumentList.Add(command);
        psi.ArgumentList.Add(dir);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"tests/postgres/cluster.sh {command} {dir} failed (exit {p.ExitCode})");
        return output;
    }
}
