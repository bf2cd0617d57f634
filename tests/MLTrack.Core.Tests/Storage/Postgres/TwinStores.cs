using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Postgres;
using MLTrack.Core.Storage.Sqlite;

namespace MLTrack.Core.Tests.Storage.Postgres;

/// <summary>
/// A SQLite store and a PostgreSQL store (a fresh database) fed the same writes, so that tests can compare what both
/// return point for point. Both are fresh, so experiment ids come out alike; runs are given the same ids.
/// </summary>
internal sealed class TwinStores : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-twins-").FullName;

    public PostgresTestDatabase Database { get; } = new();
    public ITrackingStore Sqlite { get; }
    public ITrackingStore Postgres { get; }

    public TwinStores()
    {
        Sqlite = SqliteTrackingStore.Open(Path.Combine(_dir, "mltrack.db"));
        Postgres = PostgresTrackingStore.Open(Database.Uri, Path.Combine(_dir, "artifacts"));
    }

    /// <summary>Runs the same write on both stores.</summary>
    public void Both(Action<ITrackingStore> write)
    {
        write(Sqlite);
        write(Postgres);
    }

    /// <summary>What both stores answer, SQLite's first.</summary>
    public (T Sqlite, T Postgres) Ask<T>(Func<ITrackingStore, T> read) => (read(Sqlite), read(Postgres));

    public void Dispose()
    {
        Sqlite.Dispose();
        Postgres.Dispose();
        Database.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
