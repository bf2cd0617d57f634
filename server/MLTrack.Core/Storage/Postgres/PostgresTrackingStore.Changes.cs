namespace MLTrack.Core.Storage.Postgres;

public sealed partial class PostgresTrackingStore
{
    /// <summary>A feed notified by the database (LISTEN/NOTIFY, caught up from the change table; see <see cref="PostgresChangeFeed"/>).</summary>
    public IChangeFeed OpenChangeFeed(ChangeFeedOptions options) => new PostgresChangeFeed(_db, options);
}
