namespace MLTrack.Server.Rpc;

/// <summary>How an RPC connection behaves; the defaults are the product's, tests shorten the intervals or redirect the user store.</summary>
public sealed record RpcOptions
{
    /// <summary>Folder holding the user-level store when initialize names no workspace; default <c>~/.mltrack</c>.</summary>
    public string? UserStoreFolder { get; init; }

    /// <summary>How often the store is polled for runs changed by other processes.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Least time between two runs/changed notifications for one run.</summary>
    public TimeSpan RunChangeInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long output lines are gathered before a log/append goes out.</summary>
    public TimeSpan LogFlushInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Seconds between system-metric samples of launched runs; zero turns them off.</summary>
    public TimeSpan SystemMetricsInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a stopped run's processes get between SIGTERM and SIGKILL.</summary>
    public TimeSpan KillGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long input that can only be a malformed frame if nothing follows (a header without its blank line, a JSON
    /// body shorter than its Content-Length) waits for more bytes before it is answered as malformed.
    /// </summary>
    public TimeSpan FrameStallTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The largest message body the backend reads (a larger Content-Length is a malformed frame); also how much
    /// garbage it skips looking for the next header before it gives the input up as not JSON-RPC at all.
    /// </summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>
    /// The artifact store (<see cref="MLTrack.Core.Artifacts.ArtifactStoreFactory"/>: a folder, <c>file://</c> or
    /// <c>s3://bucket/prefix</c>) for reads, launched runs and the tracking server; null: the store's local folder.
    /// </summary>
    public string? ArtifactsUri { get; init; }

    /// <summary>Where diagnostics go; never standard output, which carries the protocol. Default: standard error.</summary>
    public TextWriter? Log { get; init; }
}
