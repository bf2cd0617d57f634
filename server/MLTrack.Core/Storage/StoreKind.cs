namespace MLTrack.Core.Storage;

/// <summary>Which implementation a <see cref="StoreLocation"/> names.</summary>
public enum StoreKind
{
    /// <summary>The embedded default: one SQLite file.</summary>
    Sqlite,

    /// <summary>The team store: a PostgreSQL database shared by any number of servers.</summary>
    Postgres,
}
