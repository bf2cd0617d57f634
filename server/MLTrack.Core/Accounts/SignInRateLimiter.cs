namespace MLTrack.Core.Accounts;

/// <summary>
/// Counts sign-in starts per key (an email, an address) in a sliding <see cref="Window"/>. Per replica, in memory:
/// it keeps one inbox from being flooded and one address from mailing many, which is what the limit is for.
/// </summary>
public sealed class SignInRateLimiter(TimeProvider? clock = null)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Dictionary<string, Queue<DateTimeOffset>> _starts = [];
    private readonly Lock _lock = new();

    /// <summary>Counts one start against every key if none has reached its limit; false (and nothing counted) otherwise.</summary>
    public bool TryTake(params (string Key, int Max)[] keys)
    {
        var now = _clock.GetUtcNow();
        lock (_lock)
        {
            foreach (var (key, max) in keys)
                if (Recent(key, now).Count >= max) return false;
            foreach (var (key, _) in keys) Recent(key, now).Enqueue(now);
            if (_starts.Count > 10_000) Prune(now);
            return true;
        }
    }

    private Queue<DateTimeOffset> Recent(string key, DateTimeOffset now)
    {
        if (!_starts.TryGetValue(key, out var starts)) _starts[key] = starts = new Queue<DateTimeOffset>();
        while (starts.Count > 0 && now - starts.Peek() >= Window) starts.Dequeue();
        return starts;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var key in _starts.Keys.ToList())
            if (Recent(key, now).Count == 0) _starts.Remove(key);
    }
}
