using Microsoft.Data.Sqlite;

namespace MLTrack.Core.Storage.Sqlite;

/// <summary>Brings a store file up to the newest schema; <c>PRAGMA user_version</c> records the steps applied.</summary>
internal static class SqliteMigrator
{
    public static int LatestVersion => SqliteSchema.Migrations.Length;

    public static void Migrate(SqliteConnection c, string path)
    {
        int version = CurrentVersion(c);
        if (version > LatestVersion)
            throw new StoreException(StoreErrorCode.StoreUnavailable,
                $"The store '{path}' has schema version {version}, newer than this MLTrack supports ({LatestVersion}); upgrade MLTrack.");
        while (version < LatestVersion)
        {
            using var tx = c.BeginTransaction();
            // Re-read inside the write lock: another process may have migrated meanwhile.
            version = CurrentVersion(c, tx);
            if (version >= LatestVersion) break;
            using (var cmd = c.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = SqliteSchema.Migrations[version] + $"\nPRAGMA user_version = {version + 1};";
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
            version++;
        }
    }

    public static int CurrentVersion(SqliteConnection c, SqliteTransaction? tx = null)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(cmd.ExecuteScalar());
    }
}
