using MLTrack.Core.Storage;
using MLTrack.Server.Http;

namespace MLTrack.Server.Launch;

/// <summary>
/// The tracking server a launched run logs to: the one already running for this store (found through
/// <c>server.json</c>), or one started here for as long as this session lives. Also builds the environment that
/// points the run's Python code (the mltrack client, the zero-config bootstrap, or plain mlflow) at it.
/// </summary>
public sealed class TrackingSession : IAsyncDisposable
{
    /// <summary>The zero-config capture (a sitecustomize) shipped beside the executable, put first on PYTHONPATH.</summary>
    public static string BootstrapDirectory => Path.Combine(AppContext.BaseDirectory, "python", "mltrack_bootstrap");

    private readonly TrackingServer? _owned;

    public Uri Url { get; }
    public string Token { get; }
    public bool OwnsServer => _owned is not null;

    private TrackingSession(Uri url, string token, TrackingServer? owned)
    {
        Url = url;
        Token = token;
        _owned = owned;
    }

    public static async Task<TrackingSession> EnsureAsync(ITrackingStore store, TextWriter log, CancellationToken ct = default)
    {
        var dir = Path.GetDirectoryName(store.Location)!;
        for (int attempt = 0; ; attempt++)
        {
            if (TrackingServer.FindRunning(dir) is { } running)
                return new TrackingSession(running.Url, TokenFile.LoadOrCreate(dir), null);
            try
            {
                var server = await TrackingServer.StartAsync(store, new TrackingServerOptions { MltrackDirectory = dir, Log = log }, ct);
                return new TrackingSession(server.BaseAddress, server.Token, server);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Another launcher started one between our look and our start: use that one.
                await Task.Delay(100, ct);
            }
        }
    }

    /// <summary>Variables for the child: MLTrack's and MLflow's tracking URI and token, and the bootstrap on PYTHONPATH.</summary>
    public Dictionary<string, string?> Environment(string experimentName)
    {
        var url = Url.ToString().TrimEnd('/');
        var existing = System.Environment.GetEnvironmentVariable("PYTHONPATH");
        return new Dictionary<string, string?>
        {
            ["MLTRACK_TRACKING_URI"] = url,
            ["MLTRACK_TOKEN"] = Token,
            ["MLFLOW_TRACKING_URI"] = url,
            ["MLFLOW_TRACKING_TOKEN"] = Token,
            ["MLFLOW_EXPERIMENT_NAME"] = experimentName,
            ["PYTHONPATH"] = string.IsNullOrEmpty(existing) ? BootstrapDirectory : BootstrapDirectory + Path.PathSeparator + existing,
        };
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned is not null) await _owned.DisposeAsync();
    }
}
