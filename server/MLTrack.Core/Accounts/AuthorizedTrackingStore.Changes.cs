using System.Threading.Channels;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Accounts;

/// <summary>Notifications only of what the principal may see: a change to another team's run is not news to it.</summary>
public sealed partial class AuthorizedTrackingStore
{
    public IChangeFeed OpenChangeFeed(ChangeFeedOptions options)
    {
        var feed = inner.OpenChangeFeed(options);
        return principal().IsUnrestricted ? feed : new VisibleChangeFeed(feed, VisibleChanges);
    }

    /// <summary>The batch's changes the principal may see, judged with one fresh policy per batch.</summary>
    private List<StoreChange> VisibleChanges(IReadOnlyList<StoreChange> batch)
    {
        var policy = FullPolicy();
        return batch.Where(c => c switch
        {
            { Kind: StoreChangeKind.PreferencesChanged } => c.User == policy.Principal.UserId,
            { ExperimentId: { } e } => policy.CanSee(e),
            { RunId: { } r } => CanSeeRun(policy, r),
            // A deployment's run is known only while its record exists; a removed one's is not, and it is left out.
            { DeploymentId: { } d } => inner.FindDeployment(d) is { } record && CanSeeRun(policy, record.RunId),
            _ => false,
        }).ToList();
    }

    /// <summary>Passes on the wrapped feed's batches through a filter; empty batches are dropped.</summary>
    private sealed class VisibleChangeFeed : IChangeFeed
    {
        private readonly IChangeFeed _inner;
        private readonly Channel<IReadOnlyList<StoreChange>> _out =
            Channel.CreateUnbounded<IReadOnlyList<StoreChange>>(new UnboundedChannelOptions { SingleWriter = true });
        private readonly Task _pump;

        public VisibleChangeFeed(IChangeFeed inner, Func<IReadOnlyList<StoreChange>, List<StoreChange>> filter)
        {
            _inner = inner;
            _pump = Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in inner.Changes.ReadAllAsync())
                        if (filter(batch) is { Count: > 0 } kept) _out.Writer.TryWrite(kept);
                    _out.Writer.TryComplete();
                }
                catch (Exception e)
                {
                    // The reader learns why its feed ended (a store that cannot be read to judge a change).
                    _out.Writer.TryComplete(e);
                }
            });
        }

        public ChannelReader<IReadOnlyList<StoreChange>> Changes => _out.Reader;

        public async ValueTask DisposeAsync()
        {
            await _inner.DisposeAsync();
            await _pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _out.Writer.TryComplete();
        }
    }
}
