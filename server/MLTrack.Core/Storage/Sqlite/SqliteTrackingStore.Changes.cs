namespace MLTrack.Core.Storage.Sqlite;

public sealed partial class SqliteTrackingStore
{
    /// <summary>A feed that polls the file, cheaply when nothing was committed (see <see cref="SqlitePollingChangeFeed"/>).</summary>
    public IChangeFeed OpenChangeFeed(ChangeFeedOptions options) => new SqlitePollingChangeFeed(this, _db, options);
}
