using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Deploy;
using MLTrack.Core.Launch;
using MLTrack.Core.Storage;

using MLTrack.Server.Http.Auth;

namespace MLTrack.Server.Http;

/// <summary>
/// The tracking HTTP server inside the <c>mltrack</c> process: Kestrel on loopback with a bearer token, serving
/// MLflow's REST dialect (<see cref="RestRoutes"/>) over one store. While it runs, <c>.mltrack/server.json</c> names
/// it so clients and a second launcher find it (<see cref="FindRunning"/>); stopping it removes that file.
/// </summary>
public sealed class TrackingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _mltrackDir;
    private readonly Lazy<DeploymentService> _deployments;
    private readonly IDisposable _errorBodies;
    private readonly ServerLock? _lock;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TimeSpan _drainTimeout;
    private readonly TextWriter _log;
    private readonly InFlightRequests _inFlight;
    private int _disposed;

    /// <summary>Completes once the temporary files of uploads cut off by an earlier crash are removed (started with the server).</summary>
    public Task AbandonedUploadsRemoved { get; private set; } = Task.CompletedTask;

    /// <summary>How long a server that finds the lock taken waits for the holder's server.json, to name it.</summary>
    private static readonly TimeSpan HolderWait = TimeSpan.FromSeconds(5);

    private TrackingServer(WebApplication app, ServerInfo info, string token, string? mltrackDir, Lazy<DeploymentService> deployments, IDisposable errorBodies, ServerLock? held,
        TrackingServerOptions options, TextWriter log, InFlightRequests inFlight)
    {
        _drainTimeout = options.DrainTimeout;
        _log = log;
        _inFlight = inFlight;
        _deployments = deployments;
        _errorBodies = errorBodies;
        _lock = held;
        _app = app;
        Info = info;
        Token = token;
        _mltrackDir = mltrackDir;
    }

    /// <summary>Where the server answers, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress => Info.Url;

    /// <summary>The bearer token every request except /health must carry.</summary>
    public string Token { get; }

    /// <summary>What server.json says (or would say) about this server.</summary>
    public ServerInfo Info { get; }

    /// <summary>Every mapped route as (HTTP method, pattern), for checks that must hold on all of them (authentication).</summary>
    public IReadOnlyList<(string Method, string Pattern)> Routes =>
        _app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))))
            .ToList();

    /// <summary>Completes when the server stops (disposed, or the host shut down).</summary>
    public Task Stopped => _app.WaitForShutdownAsync();

    /// <summary>
    /// Starts listening. With a <see cref="TrackingServerOptions.MltrackDirectory"/> it first takes the store's
    /// <see cref="ServerLock"/> (held until disposed), replays the spool, then writes server.json.
    /// Throws <see cref="ServerAlreadyRunningException"/> when another server holds the lock (or server.json names
    /// another live server for the same store), <see cref="InvalidOperationException"/> for a non-loopback address
    /// without <see cref="TrackingServerOptions.AllowRemote"/> or when server.lock cannot be opened or server.json written, and
    /// <see cref="IOException"/> only when the address cannot be listened on.
    /// </summary>
    public static async Task<TrackingServer> StartAsync(ITrackingStore store, TrackingServerOptions options, CancellationToken ct = default)
    {
        var log = options.Log ?? Console.Error;
        var bind = options.Bind;
        if (!bind.IsLoopback && !options.AllowRemote)
            throw new InvalidOperationException(
                $"Refusing to listen on {bind}: it is reachable from other machines. Bind 127.0.0.1, or allow it explicitly (--allow-remote).");
        ServerLock? held = null;
        if (options.MltrackDirectory is { } dir)
        {
            held = TakeLock(dir) ?? throw new ServerAlreadyRunningException(await WaitForRunningAsync(dir, HolderWait, ct));
            if (FindRunning(dir) is { } running && SameStore(running.Store, store.Location))
            {
                held.Dispose(); // a server that does not take the lock (an older mltrack) still counts
                throw new ServerAlreadyRunningException(running);
            }
        }
        try
        {
            return await StartLockedAsync(store, options, log, held, ct);
        }
        catch
        {
            held?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The store the routes use: in users mode every call goes through the request's principal
    /// (<see cref="MLTrack.Core.Accounts.AuthorizedTrackingStore"/>: what it may not see is not found, what it may not
    /// change is PERMISSION_DENIED); in local mode the store itself.
    /// </summary>
    private static ITrackingStore Served(ITrackingStore store, AuthMode mode, Microsoft.AspNetCore.Http.IHttpContextAccessor http) => mode == AuthMode.Local
        ? store
        : new MLTrack.Core.Accounts.AuthorizedTrackingStore(store, store, () => MltrackIdentity.Of(http.HttpContext),
            () => http.HttpContext?.Connection.RemoteIpAddress?.ToString());

    /// <summary>How the server turns a bearer secret into a principal in its auth mode.</summary>
    private static Func<string, MLTrack.Core.Accounts.Principal?> Authenticator(ITrackingStore store, AuthMode mode, string token, TimeProvider? clock)
    {
        if (mode == AuthMode.Local) return new LocalTokenAuthenticator(token).Authenticate;
        var accounts = new MLTrack.Core.Accounts.AccountService(store, clock);
        return accounts.Authenticate;
    }

    private static readonly HttpClient GitHubHttp = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The sign-in routes that answer without a token (they are how one gets one).</summary>
    private static HashSet<string>? OpenSignInPaths(SignInEndpoints? signIn)
    {
        if (signIn is null) return null;
        var open = new HashSet<string>();
        if (signIn.HasEmail) open.UnionWith([SignInEndpoints.EmailStartPath, SignInEndpoints.EmailCompletePath]);
        if (signIn.HasGitHub) open.Add(SignInEndpoints.GitHubTokenPath);
        return open.Count > 0 ? open : null;
    }

    /// <summary>Users mode's sign-in routes: sessions always, email sign-in with a mailer; the link's base is the public URL or, once listening, our own.</summary>
    private static SignInEndpoints SignIn(ITrackingStore store, TrackingServerOptions options, MLTrack.Core.Accounts.SessionService sessions, TextWriter log,
        AuthFailureLimiter limiter, Func<Uri> ownAddress)
    {
        var email = options.SignInMailer is { } mailer
            ? new MLTrack.Core.Accounts.EmailSignIn(store, mailer, sessions,
                (code, returnTo) => SignInEndpoints.CompleteLink(options.PublicUrl ?? ownAddress(), code, returnTo), clock: options.Clock)
            : null;
        var github = options.GitHubApi is { } api
            ? new MLTrack.Core.Accounts.GitHubSignIn(store, new MLTrack.Core.Accounts.AccountService(store, options.Clock), GitHubHttp, api)
            : null;
        return new SignInEndpoints(sessions, email, options.PublicUrl, log, limiter, github);
    }

    private static async Task<TrackingServer> StartLockedAsync(ITrackingStore store, TrackingServerOptions options, TextWriter log, ServerLock? held, CancellationToken ct)
    {
        var bind = options.Bind;
        var token = options.Token ?? (options.MltrackDirectory is { } d ? TokenFile.LoadOrCreate(d) : TokenFile.NewToken());

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        // The host's own limit (30 s by default) would cut a longer drain short, and past the drain it is what ends
        // the wait for connections Kestrel aborted (some end only then): the same value ends both at the drain's end.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.DrainTimeout);
        var artifacts = options.Artifacts ?? new MLTrack.Core.Artifacts.Local.LocalArtifactStore(store.ArtifactRoot);
        HealthEndpoint.AddChecks(builder.Services, store, artifacts, options.HealthChecks);
        var authenticate = Authenticator(store, options.Auth, token, options.Clock);
        var users = options.Auth == AuthMode.Users;
        var sessions = users ? new MLTrack.Core.Accounts.SessionService(store, options.Clock) : null;
        var limiter = users ? new AuthFailureLimiter(options.Clock) : null;
        Uri? listening = null;
        var signIn = users ? SignIn(store, options, sessions!, log, limiter!, () => listening!) : null;
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
            .AddScheme<BearerAuthenticationOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, o =>
            {
                o.Authenticate = authenticate;
                o.AuthenticateSession = sessions is null ? null : sessions.Authenticate;
            });
        var errorBodies = new KestrelErrorBodies();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxJsonBodyBytes;
            errorBodies.Limits = k.Limits;
            k.Listen(bind.Address, bind.Port, listen => listen.Use(errorBodies.Wrap));
        });
        var app = builder.Build();
        var errorBodiesSubscription = errorBodies.Subscribe(app.Services.GetRequiredService<System.Diagnostics.DiagnosticListener>());
        var errors = new ErrorHandling(log);
        var guard = new RequestGuard(checkHost: bind.IsLoopback, options.Auth, limiter,
            OpenSignInPaths(signIn), options.PublicUrl);
        var inFlight = new InFlightRequests();
        app.Use(inFlight.InvokeAsync);
        app.Use(errors.InvokeAsync);
        options.ConfigureApp?.Invoke(app);
        app.Use(guard.InvokeAsync);
        var deployments = options.Deployments ?? new Lazy<DeploymentService>(() => new DeploymentService(store,
            options.MltrackDirectory is { } dir ? Path.Combine(dir, DeploymentService.FolderName) : Directory.CreateTempSubdirectory("mltrack-deployments-").FullName,
            artifacts: artifacts));
        RestRoutes.Map(app, Served(store, options.Auth, app.Services.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>()), artifacts, options, () => deployments.Value, signIn);

        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            errorBodiesSubscription.Dispose();
            throw;
        }
        var info = new ServerInfo(ActualAddress(app, bind), Environment.ProcessId, store.Location, DateTimeOffset.UtcNow);
        listening = info.Url;
        if (!bind.IsLoopback)
            log.WriteLine($"warning: the tracking server listens on {bind.Address}:{info.Url.Port}, reachable from other machines; anyone with the token can read and write this store.");
        var server = new TrackingServer(app, info, token, options.MltrackDirectory, deployments, errorBodiesSubscription, held, options, log, inFlight);
        // In the background: the walk visits every run's folder (~0.8 s at 20,000 runs), and `mltrack run` waits for
        // this server. Temp files are never served or listed, so removing them a moment later changes nothing for clients.
        server.AbandonedUploadsRemoved = Task.Run(() => RemoveAbandonedUploads(artifacts, log, server._stopping.Token), CancellationToken.None);
        if (options.MltrackDirectory is { } folder)
        {
            try
            {
                // Replay what clients spooled while no server ran, before clients can find us through server.json,
                // so a client that comes back online logs after its offline history. Only the lock holder replays.
                await ReplaySpoolAsync(info.Url, token, Path.Combine(folder, SpoolFolderName), log, ct);
                WriteServerInfo(folder, info);
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
        return server;
    }

    private static ServerLock? TakeLock(string folder)
    {
        try
        {
            return ServerLock.TryAcquire(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Could not open {ServerLock.FileName}, which keeps one server per store: {e.Message}", e);
        }
    }

    private static void WriteServerInfo(string folder, ServerInfo info)
    {
        try
        {
            ServerInfoFile.Write(folder, info);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not a listen error: say what failed (an IOException from here would read as "cannot listen").
            throw new InvalidOperationException($"Could not write {ServerInfoFile.FileName}, which lets clients find the server: {e.Message}", e);
        }
    }

    /// <summary>
    /// Polls <see cref="FindRunning"/> until it names a server or <paramref name="timeout"/> passes (a server that holds
    /// the lock writes server.json once its spool is replayed); null when none appeared.
    /// </summary>
    public static async Task<ServerInfo?> WaitForRunningAsync(string mltrackDir, TimeSpan timeout, CancellationToken ct = default)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (FindRunning(mltrackDir) is { } running) return running;
            if (waited.Elapsed >= timeout) return null;
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
    }

    /// <summary>Where offline Python clients append the requests they could not send (<c>.mltrack/spool</c>).</summary>
    public const string SpoolFolderName = "spool";

    private static async Task ReplaySpoolAsync(Uri url, string token, string spoolDir, TextWriter log, CancellationToken ct)
    {
        if (!Directory.Exists(spoolDir)) return;
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        try
        {
            await new Spool.SpoolReplayer(http, log).ReplayAsync(spoolDir, ct);
        }
        catch (Exception e) when ((e is IOException or UnauthorizedAccessException or HttpRequestException or TaskCanceledException) && !ct.IsCancellationRequested)
        {
            // The server still serves; what was not replayed stays in the spool for the next start.
            log.WriteLine($"mltrack: spool replay stopped ({e.Message}); the rest stays spooled for the next start.");
        }
    }

    /// <summary>Temporary files of uploads cut off by a crash: never served or listed, but they hold disk space until removed.</summary>
    private static void RemoveAbandonedUploads(MLTrack.Core.Artifacts.IArtifactStore artifacts, TextWriter log, CancellationToken cancel)
    {
        try
        {
            int removed = artifacts.RemoveAbandonedTemps(cancel);
            if (removed > 0) log.WriteLine($"mltrack server: removed {removed} temporary file(s) of uploads cut off earlier.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.WriteLine($"warning: could not look for temporary files of cut-off uploads: {e.Message}");
        }
    }

    /// <summary>
    /// The server named by <c>&lt;mltrackDir&gt;/server.json</c> when its process is alive and its <c>/health</c> answers;
    /// null when there is none or the file is stale.
    /// </summary>
    public static ServerInfo? FindRunning(string mltrackDir)
    {
        if (ServerInfoFile.TryRead(mltrackDir) is not { } info) return null;
        if (!IsAlive(info.Pid)) return null;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, new Uri(info.Url, RequestGuard.HealthPath)));
            if (!response.IsSuccessStatusCode) return null;
            using var body = response.Content.ReadAsStream();
            using var doc = System.Text.Json.JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("status", out var s) && s.ValueEquals("ok") ? info : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping.Cancel();
        await AbandonedUploadsRemoved; // it reads the store's folders: done before the caller disposes the store
        _stopping.Dispose();
        try
        {
            // Kestrel stops listening at once (new connections are refused), lets the requests in flight finish, and
            // aborts those still running when the drain timeout ends: each then stores nothing (one transaction, an
            // upload moved into place only once whole).
            using var drain = new CancellationTokenSource(_drainTimeout);
            using var cutOff = drain.Token.Register(() =>
            {
                if (_inFlight.Count is var n and > 0)
                    _log.WriteLine($"mltrack server: the drain timeout ({_drainTimeout.TotalSeconds:0.###} s) passed with {n} request(s) still running; cutting them off.");
            });
            await _app.StopAsync(drain.Token);
        }
        finally
        {
            _errorBodies.Dispose();
            await _app.DisposeAsync();
            // Local deployments created through this server's REST API run in this process: stop them with it.
            if (_deployments.IsValueCreated) await _deployments.Value.DisposeAsync();
            if (_mltrackDir is not null) ServerInfoFile.RemoveIfOurs(_mltrackDir, Info);
            _lock?.Dispose(); // last: a new server may start once this one no longer answers
        }
    }

    private static Uri ActualAddress(WebApplication app, BindAddress bind)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var port = addresses.Select(a => Uri.TryCreate(a, UriKind.Absolute, out var u) ? u.Port : -1).FirstOrDefault(p => p > 0);
        if (port <= 0) port = bind.Port;
        var host = bind.Address.Equals(IPAddress.Any) ? "127.0.0.1"
            : bind.Address.Equals(IPAddress.IPv6Any) || bind.Address.Equals(IPAddress.IPv6Loopback) ? "[::1]"
            : bind.Address.ToString();
        return new Uri($"http://{host}:{port}/");
    }

    private static bool IsAlive(int pid) => ProcessTree.IsSupported
        ? ProcessTree.IsAlive(pid)
        : OperatingSystem.IsWindows() && TryGetProcess(pid);

    private static bool TryGetProcess(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Whether server.json's store and ours are one (a file path, or a PostgreSQL target as displayed).</summary>
    private static bool SameStore(string a, string b)
    {
        try
        {
            return StoreLocation.Parse(a).SameStore(StoreLocation.Parse(b));
        }
        catch (StoreException)
        {
            return string.Equals(a, b, StringComparison.Ordinal);
        }
    }
}
