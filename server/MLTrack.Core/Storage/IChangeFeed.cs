using System.Threading.Channels;

namespace MLTrack.Core.Storage;

/// <summary>
/// A live stream of the store's changes, opened by <see cref="IChangeFeedSource.OpenChangeFeed"/>: every change
/// committed after the feed was opened is delivered once, in batches. Disposing the feed stops it and completes
/// <see cref="Changes"/>.
/// </summary>
public interface IChangeFeed : IAsyncDisposable
{
    /// <summary>Batches of changes in the order the feed learnt of them.</summary>
    ChannelReader<IReadOnlyList<StoreChange>> Changes { get; }
}
