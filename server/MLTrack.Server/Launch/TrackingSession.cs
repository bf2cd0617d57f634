using MLTrack.Server.Composition;
using MLTrack.Server.Http;

namespace MLTrack.Server.Launch;

/// <summary>
/// The tracking server a launched run logs to: for a SQLite store the one already running for it (found through
/// <c>server.json</c>), else one started here for as long as this session lives, with the root's token, artifact
/// settings and deployments. Also builds the environment that points the run's Python code at it
/// (<see cref="TrackingEndpoint.Environment"/>).
/// </summary>
public sealed class TrackingSession : IAsyncDisposable
{
    private readonly TrackingServer? _owned;

    public TrackingEndpoint Endpoint { get; }
    public bool OwnsServer => _owned is not null;

    private TrackingSession(Uri url, string token, TrackingServer? owned)
    {
        Endpoint = new TrackingEndpoint(url, token);
        _owned = owned;
    }

    public static async Task<TrackingSession> EnsureAsync(MltrackRoot root, TextWriter log, CancellationToken ct = default)
    {
        // PostgreSQL: no server.json to find another server by, nor a lock that would make us use it.
        var dir = root.Layout.ServerFolder;
        for (int attempt = 0; ; attempt++)
        {
            if (dir is not null && TrackingServer.FindRunning(dir) is { } running)
                return new TrackingSession(running.Url, root.LoadToken(), null);
            try
            {
                var server = await TrackingServer.StartAsync(root.Store, root.ServerOptions() with { Log = log }, ct);
                return new TrackingSession(server.BaseAddress, server.Token, server);
            }
            catch (ServerAlreadyRunningException e) when (attempt < 3 && dir is not null)
            {
                // Another process started one between our look and our start (it holds the lock): use that one once
                // it is up; it may still be replaying the spool.
                if ((e.Running ?? await TrackingServer.WaitForRunningAsync(dir, OtherServerWait, ct)) is { } other)
                    return new TrackingSession(other.Url, root.LoadToken(), null);
            }
        }
    }

    /// <summary>How long to wait for a server that another process is starting (it replays the spool first).</summary>
    private static readonly TimeSpan OtherServerWait = TimeSpan.FromSeconds(30);

    public async ValueTask DisposeAsync()
    {
        if (_owned is not null) await _owned.DisposeAsync();
    }
}
