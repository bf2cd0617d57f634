using MLTrack.Core.Storage;
using MLTrack.Server.Http;
using MLTrack.Server.Rpc;

namespace MLTrack.Server.Ui;

/// <summary>How <see cref="UiServer"/> starts.</summary>
public sealed record UiServerOptions
{
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Folder holding <c>shell.html</c> and <c>dist/</c>; default the <c>webviews/</c> folder beside the executable.</summary>
    public string? WebviewsDirectory { get; init; }

    /// <summary>The RPC session's settings (polling and notification intervals); its Log defaults to <see cref="Log"/>.</summary>
    public RpcOptions? Rpc { get; init; }

    /// <summary>The tracking server's artifact store (<see cref="TrackingServerOptions.Artifacts"/>); the RPC session opens its own from <see cref="RpcOptions.ArtifactsUri"/>.</summary>
    public MLTrack.Core.Artifacts.IArtifactStore? Artifacts { get; init; }

    /// <summary>Where diagnostics go; default standard error.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>The clock of sign-in codes and sessions (tests move it); default the system clock.</summary>
    public TimeProvider? Time { get; init; }
}

/// <summary>
/// <c>mltrack ui</c>'s server: the tracking HTTP server (REST API, token, Host guard; it also names itself in
/// <c>server.json</c> unless another live server already serves the store) plus the browser UI (<see cref="UiEndpoints"/>),
/// whose <c>/rpc</c> goes through one in-process RPC session (<see cref="InProcessRpc"/>) on the same store.
/// </summary>
public sealed class UiServer : IAsyncDisposable
{
    private readonly TrackingServer _server;
    private readonly InProcessRpc _rpc;
    private int _disposed;

    private UiServer(TrackingServer server, InProcessRpc rpc, NotificationHub hub, UiSessions sessions, string webviewsDirectory)
    {
        _server = server;
        _rpc = rpc;
        Hub = hub;
        Sessions = sessions;
        WebviewsDirectory = webviewsDirectory;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri BaseAddress => _server.BaseAddress;

    public string Token => _server.Token;

    public string WebviewsDirectory { get; }

    public NotificationHub Hub { get; }

    /// <summary>The browser sign-in codes and sessions.</summary>
    public UiSessions Sessions { get; }

    /// <summary>Completes when the HTTP server stops.</summary>
    public Task Stopped => _server.Stopped;

    /// <summary>A sign-in URL of <paramref name="panel"/> with a fresh one-time code, e.g. http://127.0.0.1:PORT/ui/runs?code=…
    /// (never the token: this URL goes on a browser's command line).</summary>
    public Uri SignInUrl(string panel = "runs") => new(BaseAddress, $"ui/{panel}?code={Sessions.MintCode()}");

    public static string DefaultWebviewsDirectory => Path.Combine(AppContext.BaseDirectory, "webviews");

    public static async Task<UiServer> StartAsync(ITrackingStore store, UiServerOptions options, CancellationToken cancellationToken = default)
    {
        var log = options.Log ?? Console.Error;
        var storePath = Path.GetFullPath(store.Location);
        var mltrackDir = Path.GetDirectoryName(storePath)!;
        var token = TokenFile.LoadOrCreate(mltrackDir);
        var webviews = Path.GetFullPath(options.WebviewsDirectory ?? DefaultWebviewsDirectory);
        var hub = new NotificationHub();
        var rpcOptions = (options.Rpc ?? new RpcOptions()) is var o && o.Log is null ? o with { Log = log } : o;
        var rpc = InProcessRpc.Start(rpcOptions);
        rpc.Notification += hub.Publish;
        var sessions = new UiSessions(options.Time ?? TimeProvider.System);
        var endpoints = new UiEndpoints(token, sessions, rpc, hub, webviews, log);
        TrackingServer? server = null;
        try
        {
            // Another live server for this store (an editor's backend, `mltrack server`) keeps server.json; we still serve.
            var another = TrackingServer.FindRunning(mltrackDir) is not null;
            var serverOptions = new TrackingServerOptions
            {
                Bind = new BindAddress(System.Net.IPAddress.Loopback, options.Port),
                MltrackDirectory = another ? null : mltrackDir,
                Token = token,
                Log = log,
                ConfigureApp = endpoints.Install,
                Artifacts = options.Artifacts,
            };
            try
            {
                server = await TrackingServer.StartAsync(store, serverOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (ServerAlreadyRunningException)
            {
                // One started between our look and our start (it holds the store's lock): serve without server.json.
                server = await TrackingServer.StartAsync(store, serverOptions with { MltrackDirectory = null }, cancellationToken).ConfigureAwait(false);
            }
            // The session finds the server above through server.json (or the other one): runs launched from a panel log to it.
            await rpc.InitializeAsync(storePath, Environment.CurrentDirectory, cancellationToken).ConfigureAwait(false);
            return new UiServer(server, rpc, hub, sessions, webviews);
        }
        catch
        {
            await rpc.DisposeAsync().ConfigureAwait(false);
            if (server is not null) await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            await _rpc.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
