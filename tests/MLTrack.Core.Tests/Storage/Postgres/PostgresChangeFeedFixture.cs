using MLTrack.Core.Storage.Postgres;

namespace MLTrack.Core.Tests.Storage.Postgres;

/// <summary>One fresh, migrated database for a test class of the change feed, dropped at its end.</summary>
public sealed class PostgresChangeFeedFixture : IDisposable
{
    private readonly List<PostgresTrackingStore> _stores = [];

    internal PostgresTestDatabase Database { get; } = new();

    public string Artifacts { get; } = Directory.CreateTempSubdirectory("mltrack-pg-changes-").FullName;

    /// <summary>Another store instance on the database, as another replica would have (closed with the fixture).</summary>
    public PostgresTrackingStore OpenStore()
    {
        var store = PostgresTrackingStore.Open(Database.Uri, Artifacts);
        lock (_stores) _stores.Add(store);
        return store;
    }

    public void Dispose()
    {
        foreach (var s in _stores) s.Dispose();
        Database.Dispose();
        Directory.Delete(Artifacts, recursive: true);
    }
}
