using System.Collections.Concurrent;

namespace MLTrack.Server.Http.Auth;

/// <summary>
/// Slows token guessing: an address with <see cref="MaxFailures"/> failed authentications within a window is refused
/// (429) without its tokens being checked until the window ends. Per replica, in memory: enough to make guessing
/// 256-bit tokens pointless and to keep a misconfigured client from hammering the database.
/// </summary>
public sealed class AuthFailureLimiter(TimeProvider? clock = null)
{
    public const int MaxFailures = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (DateTimeOffset Start, int Failures)> _byAddress = new();

    /// <summary>True while the address has used up its failures for the current window.</summary>
    public bool IsBlocked(string address) =>
        _byAddress.TryGetValue(address, out var w) && _clock.GetUtcNow() - w.Start < Window && w.Failures >= MaxFailures;

    public void RecordFailure(string address)
    {
        var now = _clock.GetUtcNow();
        _byAddress.AddOrUpdate(address, _ => (now, 1), (_, w) => now - w.Start >= Window ? (now, 1) : (w.Start, w.Failures + 1));
        if (_byAddress.Count > 10_000) Prune(now);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (address, w) in _byAddress)
            if (now - w.Start >= Window) _byAddress.TryRemove(address, out _);
    }
}
