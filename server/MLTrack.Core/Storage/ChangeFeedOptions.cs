namespace MLTrack.Core.Storage;

/// <summary>How a change feed watches; the defaults are the product's, tests shorten them.</summary>
public sealed record ChangeFeedOptions
{
    /// <summary>How often a store without notifications (SQLite) looks for changes; zero: only when asked (tests).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a notified feed (PostgreSQL) reads its change table anyway, as a backstop.</summary>
    public TimeSpan SafetyInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First wait before reconnecting a lost feed; doubled on each failure up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where failures to watch are reported; default standard error.</summary>
    public TextWriter? Log { get; init; }
}
