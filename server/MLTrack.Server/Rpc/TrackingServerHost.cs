using MLTrack.Server.Launch;
using MLTrack.Core.Storage;
using MLTrack.Server.Http;

namespace MLTrack.Server.Rpc;

/// <summary>
/// Runs the HTTP tracking server inside the RPC process, so runs launched from the editor (and any Python client
/// pointed at it) log to this store. When another live server already serves the same store (its
/// <c>.mltrack/server.json</c>), that one is reused instead.
/// </summary>
public sealed class TrackingServerHost : IAsyncDisposable
{
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(10);
    private TrackingServer? _server;
    private Task _starting = Task.CompletedTask;

    /// <summary>The server's URL and token once started; null before, or when it could not start.</summary>
    public TrackingEndpoint? Endpoint { get; private set; }

    /// <summary>Begins starting the server in the background.</summary>
    public void Start(ITrackingStore store, MLTrack.Core.Artifacts.IArtifactStore artifacts, string mltrackDirectory, TextWriter log) =>
        _starting = Task.Run(() => StartAsync(store, artifacts, mltrackDirectory, log, CancellationToken.None));

    /// <summary>The endpoint, waiting (bounded) for a start in progress; null when there is no server.</summary>
    public async Task<TrackingEndpoint?> GetEndpointAsync()
    {
        try
        {
            await _starting.WaitAsync(StartWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        return Endpoint;
    }

    /// <summary>Starts (or finds) the server for <paramref name="store"/>; on failure logs why and leaves <see cref="Endpoint"/> null.</summary>
    public async Task StartAsync(ITrackingStore store, MLTrack.Core.Artifacts.IArtifactStore artifacts, string mltrackDirectory, TextWriter log, CancellationToken cancellationToken)
    {
        try
        {
            _server = await TrackingServer.StartAsync(store, new TrackingServerOptions { MltrackDirectory = mltrackDirectory, Log = log, Artifacts = artifacts }, cancellationToken)
                .ConfigureAwait(false);
            Endpoint = new TrackingEndpoint(_server.BaseAddress, _server.Token);
        }
        catch (ServerAlreadyRunningException e)
        {
            // The other server may still be starting (replaying the spool): wait for it, bounded.
            if ((e.Running ?? await TrackingServer.WaitForRunningAsync(mltrackDirectory, StartWait, cancellationToken).ConfigureAwait(false)) is { } running)
            {
                log.WriteLine($"mltrack rpc: a tracking server for this store is already running at {running.Url.ToString().TrimEnd('/')} (pid {running.Pid}). Launched runs will log to it.");
                Endpoint = new TrackingEndpoint(running.Url, TokenFile.LoadOrCreate(mltrackDirectory));
            }
            else
            {
                log.WriteLine($"mltrack rpc: {e.Message} Launched runs still record output metrics, but clients inside them cannot log until it is up.");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.WriteLine($"mltrack rpc: the tracking server did not start ({e.Message}); launched runs still record output metrics, but clients inside them cannot log.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await GetEndpointAsync().ConfigureAwait(false);
        if (_server is { } s)
        {
            _server = null;
            await s.DisposeAsync().ConfigureAwait(false);
        }
    }
}
