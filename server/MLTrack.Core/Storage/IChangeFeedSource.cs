namespace MLTrack.Core.Storage;

/// <summary>
/// Where change events come from: the store itself, so that every writer's changes are seen — SQLite by watching
/// the file, PostgreSQL by LISTEN/NOTIFY and a change table. The RPC notifications and the browser UI's events are
/// built on it.
/// </summary>
public interface IChangeFeedSource
{
    /// <summary>Starts watching now: what exists when this returns is not news. The caller disposes the feed.</summary>
    IChangeFeed OpenChangeFeed(ChangeFeedOptions options);
}
