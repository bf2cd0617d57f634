using System.Reflection;
using Npgsql;

namespace MLTrack.Core.Storage.Postgres;

/// <summary>
/// Versioned migrations: the embedded <c>Migrations/NNNN_name.sql</c> files, applied in order, each in its own
/// transaction, recorded in <c>mltrack_migrations</c>. A transaction-scoped advisory lock makes replicas that start
/// at once apply each step exactly once (the others wait, then see it applied). A database migrated by a newer
/// MLTrack is refused, naming both versions. Never edit a shipped step: append a new file.
/// </summary>
internal static class PostgresMigrator
{
    // Any constant both the migrator and older/newer builds agree on: "MLTrack" in ASCII.
    private const long LockKey = 0x4D4C547261636B;
    private const string Prefix = "MLTrack.Core.Storage.Postgres.Migrations.";

    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } = Load();

    public static int LatestVersion => Migrations.Count == 0 ? 0 : Migrations[^1].Version;

    public static void Migrate(NpgsqlConnection c, PostgresTarget target)
    {
        // Under the lock too: two sessions running CREATE TABLE IF NOT EXISTS at once can both try to create it, and one
        // then fails on the catalog's unique index.
        using (var tx = c.BeginTransaction())
        {
            Exec(c, tx, $"SELECT pg_advisory_xact_lock({LockKey})");
            Exec(c, tx, "CREATE TABLE IF NOT EXISTS mltrack_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
            tx.Commit();
        }
        var current = CurrentVersion(c, null);
        if (current > LatestVersion)
            throw new StoreException(StoreErrorCode.StoreUnavailable,
                $"The database '{target.Database}' at {target.Host}:{target.Port} has schema version {current}, newer than this MLTrack supports ({LatestVersion}); upgrade MLTrack.");
        foreach (var (version, name, sql) in Migrations)
        {
            if (version <= current) continue;
            using var tx = c.BeginTransaction();
            Exec(c, tx, $"SELECT pg_advisory_xact_lock({LockKey})");
            if (CurrentVersion(c, tx) >= version) { tx.Commit(); continue; } // another replica applied it meanwhile
            Exec(c, tx, sql);
            using (var cmd = new NpgsqlCommand("INSERT INTO mltrack_migrations(version, name) VALUES (@v, @n)", c, tx))
            {
                cmd.Parameters.AddWithValue("v", version);
                cmd.Parameters.AddWithValue("n", name);
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
        }
    }

    public static int CurrentVersion(NpgsqlConnection c, NpgsqlTransaction? tx)
    {
        using var cmd = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM mltrack_migrations", c, tx);
        return Convert.ToInt32(cmd.ExecuteScalar());
    }

    private static void Exec(NpgsqlConnection c, NpgsqlTransaction? tx, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c, tx);
        cmd.ExecuteNonQuery();
    }

    private static List<(int, string, string)> Load()
    {
        var asm = Assembly.GetExecutingAssembly();
        var list = new List<(int, string, string)>();
        foreach (var res in asm.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var file = res[Prefix.Length..^4]; // NNNN_name
            var version = int.Parse(file[..file.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture);
            using var s = asm.GetManifestResourceStream(res)!;
            using var r = new StreamReader(s);
            list.Add((version, file[(file.IndexOf('_') + 1)..], r.ReadToEnd()));
        }
        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return list;
    }
}
