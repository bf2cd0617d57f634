namespace MLTrack.Core.Storage.Postgres;

/// <summary>
/// The team store: one PostgreSQL database shared by any number of stateless replicas. Every area is one partial
/// file beside this one and passes the same contract suites as the SQLite store. Concurrency comes from the
/// database (row locks, unique keys, ON CONFLICT), never from a lock in this process, so replicas agree.
/// </summary>
public sealed partial class PostgresTrackingStore : ITrackingStore
{
    private readonly PostgresDatabase _db;

    /// <summary>The schema version this build creates and reads.</summary>
    public static int SchemaVersion => PostgresMigrator.LatestVersion;

    public string Location => _db.Target.Display;
    public string ArtifactRoot { get; }

    internal PostgresDatabase Database => _db;

    private PostgresTrackingStore(PostgresDatabase db, string artifactRoot)
    {
        _db = db;
        ArtifactRoot = artifactRoot;
    }

    /// <summary>Connects to the database at <paramref name="uri"/> (postgresql://…), migrating it when needed.</summary>
    public static PostgresTrackingStore Open(string uri, string artifactRoot) =>
        new(PostgresDatabase.Open(PostgresTarget.Parse(uri)), Path.GetFullPath(artifactRoot));

    public StoreHealth CheckHealth()
    {
        try
        {
            return new StoreHealth(true, _db.Read(c => PostgresMigrator.CurrentVersion(c, null)), SchemaVersion);
        }
        catch (StoreException e)
        {
            return StoreHealth.Unreachable(SchemaVersion, e.ClientMessage);
        }
    }

    public void Dispose() => _db.Dispose();

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
