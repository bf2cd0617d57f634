namespace MLTrack.Server.Rpc.Dto;

/// <summary>
/// Params of the <c>runs/changed</c> notification. Coalesced: at most one per run per 250 ms; when several things
/// changed in that window, <see cref="Kind"/> is the most significant (created &gt; deleted &gt; restored &gt; status &gt; tags &gt; metrics)
/// and <see cref="Status"/> is current. Clients re-read the run (runs/get or runs/list) to refresh.
/// </summary>
/// <param name="RunId">The run.</param>
/// <param name="Kind">created | status | metrics | tags | deleted | restored.</param>
/// <param name="Status">The run's status when known.</param>
/// <param name="ExperimentId">The run's experiment when known.</param>
/// <param name="Name">The run's name when known.</param>
/// <param name="Metrics">For "metrics": latest values of the keys that got points since the last notification.</param>
public sealed record RunChangedParams(
    string RunId,
    string Kind,
    string? Status = null,
    string? ExperimentId = null,
    string? Name = null,
    IReadOnlyDictionary<string, double>? Metrics = null);

/// <summary>Params of the <c>log/append</c> notification: output lines of a run launched by this backend, batched (about every 100 ms).</summary>
/// <param name="RunId">The run.</param>
/// <param name="Stream">"stdout" or "stderr".</param>
/// <param name="Lines">Lines without their newline, in order.</param>
public sealed record LogAppendParams(string RunId, string Stream, IReadOnlyList<string> Lines);
