using MLTrack.Core.Storage;

namespace MLTrack.Core.Tests.Storage;

/// <summary>Reads a change feed in the background and lets a test wait for what it delivered.</summary>
public sealed class ChangeRecorder : IAsyncDisposable
{
    private readonly IChangeFeed _feed;
    private readonly List<(StoreChange Change, DateTime At)> _all = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _reading;

    public ChangeRecorder(IChangeFeed feed)
    {
        _feed = feed;
        _reading = Task.Run(async () =>
        {
            await foreach (var batch in feed.Changes.ReadAllAsync())
            {
                var at = DateTime.UtcNow;
                lock (_all) foreach (var c in batch) _all.Add((c, at));
                _arrived.Release();
            }
        });
    }

    public IReadOnlyList<StoreChange> All
    {
        get { lock (_all) return [.. _all.Select(x => x.Change)]; }
    }

    /// <summary>The first change matching <paramref name="match"/> and when it arrived; fails after <paramref name="timeoutMs"/>.</summary>
    public Task<(StoreChange Change, DateTime At)> WaitFor(Func<StoreChange, bool> match, int timeoutMs = 15_000) => WaitForNth(match, 1, timeoutMs);

    /// <summary>The <paramref name="n"/>th change matching <paramref name="match"/> and when it arrived.</summary>
    public async Task<(StoreChange Change, DateTime At)> WaitForNth(Func<StoreChange, bool> match, int n, int timeoutMs = 15_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            lock (_all)
            {
                var seen = 0;
                foreach (var x in _all)
                    if (match(x.Change) && ++seen == n) return x;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"No change matched within {timeoutMs} ms; got: {string.Join("; ", All.Select(c => $"{c.Kind} {c.RunId ?? c.DeploymentId ?? c.User}"))}");
            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _feed.DisposeAsync();
        await _reading;
    }
}
