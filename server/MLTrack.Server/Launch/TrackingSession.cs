using MLTrack.Core.Storage;
using MLTrack.Server.Http;

namespace MLTrack.Server.Launch;

/// <summary>
/// The tracking server a launched run logs to: the one already running for this store (found through
/// <c>server.json</c>), or one started here for as long as this session lives. Also builds the environment that
/// points the run's Python code at it (<see cref="TrackingEndpoint.Environment"/>).
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

    public static async Task<TrackingSession> EnsureAsync(ITrackingStore store, TextWriter log, CancellationToken ct = default,
        MLTrack.Core.Artifacts.IArtifactStore? artifacts = null)
    {
        var dir = Path.GetDirectoryName(store.Location)!;
        for (int attempt = 0; ; attempt++)
        {
            if (TrackingServer.FindRunning(dir) is { } running)
                return new TrackingSession(running.Url, TokenFile.LoadOrCreate(dir), null);
            try
            {
                var server = await TrackingServer.StartAsync(store, new TrackingServerOptions
                {
                    MltrackDirectory = dir,
                    Log = log,
                    Artifacts = artifacts,
                }, ct);
                return new TrackingSession(server.BaseAddress, server.Token, server);
            }
            catch (ServerAlreadyRunningException e) when (attempt < 3)
            {
                // Another process started one between our look and our start (it holds the lock): use that one once
                // it is up; it may still be replaying the spool.
                if ((e.Running ?? await TrackingServer.WaitForRunningAsync(dir, OtherServerWait, ct)) is { } other)
                    return new TrackingSession(other.Url, TokenFile.LoadOrCreate(dir), null);
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
