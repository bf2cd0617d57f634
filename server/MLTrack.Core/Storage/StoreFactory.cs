using MLTrack.Core.Storage.Postgres;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Core.Workspace;

namespace MLTrack.Core.Storage;

/// <summary>
/// The one place that opens a store from its location (see <see cref="StoreLocation"/> for the accepted forms):
/// a file path or <c>sqlite:///…</c> opens <see cref="SqliteTrackingStore"/>, <c>postgresql://…</c>
/// <see cref="PostgresTrackingStore"/>. Either is created or migrated when needed before it is returned.
/// </summary>
public static class StoreFactory
{
    /// <exception cref="StoreException">
    /// InvalidParameterValue for a location that cannot be parsed (naming the scheme and the accepted forms);
    /// StoreUnavailable when the file or server cannot be opened (naming it: the path, or host and port).
    /// </exception>
    public static ITrackingStore Open(string pathOrUri, StoreOpenOptions? options = null) =>
        Open(StoreLocation.Parse(pathOrUri, options?.BaseDirectory), options);

    /// <inheritdoc cref="Open(string, StoreOpenOptions?)"/>
    public static ITrackingStore Open(StoreLocation location, StoreOpenOptions? options = null)
    {
        options ??= new StoreOpenOptions();
        switch (location.Kind)
        {
            case StoreKind.Sqlite:
                var sqlite = SqliteTrackingStore.Open(location.Target, options.ArtifactRoot, options.BusyTimeout);
                if (sqlite.PermissionNote is { } note) options.Notice?.Invoke(note);
                return sqlite;
            case StoreKind.Postgres:
                return PostgresTrackingStore.Open(location.Target, options.ArtifactRoot ?? DefaultArtifactRoot(location));
            default:
                throw new ArgumentOutOfRangeException(nameof(location), location.Kind, "unknown store kind");
        }
    }

    /// <summary>Where a store's run artifacts live when nothing else is said: beside the SQLite file, or in the per-user state folder.</summary>
    public static string DefaultArtifactRoot(StoreLocation location, Func<string, string?>? environment = null) =>
        Path.Combine(location.SqliteFolder ?? UserStateFolder.Resolve(environment), "artifacts");
}
