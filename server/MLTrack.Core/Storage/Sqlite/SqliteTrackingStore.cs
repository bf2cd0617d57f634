using Microsoft.Data.Sqlite;

namespace MLTrack.Core.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Reads use pooled connections and run concurrently; writes go
/// through one connection under a lock (SQLite has one writer anyway) and take the file's write lock up front
/// (BEGIN IMMEDIATE) so two processes on one store queue instead of failing on lock upgrade.
/// </summary>
public sealed partial class SqliteTrackingStore : ITrackingStore
{
    private readonly SqliteDatabase _db;
    private readonly SqliteConnection _writer;
    private readonly Lock _writeLock = new();
    private MetricWriteCommands? _metricCommands;

    /// <summary>The schema version this build creates and reads.</summary>
    public static int SchemaVersion => SqliteMigrator.LatestVersion;

    public string Location => _db.Path;
    public string ArtifactRoot { get; }

    /// <summary>A note to show the user when opening made an older, world-readable store owner-only (else null).</summary>
    public string? PermissionNote => _db.PermissionNote;

    private SqliteTrackingStore(SqliteDatabase db, string artifactRoot)
    {
        _db = db;
        ArtifactRoot = artifactRoot;
        _writer = db.Guard(db.Open);
    }

    /// <summary>Opens (creating and migrating when needed) the store at <paramref name="dbPath"/>; artifacts default to a folder beside it.</summary>
    /// <param name="busyTimeout">How long a write waits while another process holds the store's write lock (default 10 s).</param>
    public static SqliteTrackingStore Open(string dbPath, string? artifactRoot = null, TimeSpan? busyTimeout = null)
    {
        var db = SqliteDatabase.OpenOrCreate(dbPath, busyTimeout);
        var root = Path.GetFullPath(artifactRoot ?? Path.Combine(Path.GetDirectoryName(db.Path)!, "artifacts"));
        return new SqliteTrackingStore(db, root);
    }

    public void Dispose()
    {
        lock (_writeLock)
        {
            _metricCommands?.Dispose();
            _writer.Dispose();
        }
        SqliteConnection.ClearAllPools();
    }

    public StoreHealth CheckHealth()
    {
        try
        {
            return new StoreHealth(true, Read(c => SqliteMigrator.CurrentVersion(c)), SchemaVersion);
        }
        catch (StoreException e)
        {
            return StoreHealth.Unreachable(SchemaVersion, e.ClientMessage);
        }
    }

    private T Read<T>(Func<SqliteConnection, T> query) => _db.Guard(() =>
    {
        using var c = _db.Open();
        return query(c);
    });

    private T Write<T>(Func<SqliteConnection, SqliteTransaction, T> change) => _db.Guard(() =>
    {
        lock (_writeLock)
        {
            using var tx = _writer.BeginTransaction(deferred: false);
            var result = change(_writer, tx);
            tx.Commit();
            return result;
        }
    });

    private void Write(Action<SqliteConnection, SqliteTransaction> change) => Write((c, tx) => { change(c, tx); return 0; });

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
