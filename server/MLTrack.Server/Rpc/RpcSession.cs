using System.Reflection;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Launch;
using MLTrack.Core.Storage;
using MLTrack.Core.Workspace;
using MLTrack.Server.Composition;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Rpc;

/// <summary>
/// The state one RPC connection shares between its method groups: the root (store and services) opened by initialize
/// or handed in by the browser UI, the in-process tracking server, launched runs, the store watcher and the notifier. Methods other than initialize refuse to run
/// before it (<see cref="RpcErrorCodes.NotInitialized"/>).
/// </summary>
public sealed class RpcSession : IAsyncDisposable
{
    public const int ProtocolVersion = 1;

    private readonly RpcOptions _options;
    private readonly TextWriter _log;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private readonly TaskCompletionSource _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly MltrackRoot? _given;
    private MltrackRoot? _root;
    private StoreLocation? _location;
    private RunLaunches? _launches;
    private StoreWatcher? _watcher;
    private TrackingServerHost? _tracking;
    private InitializeResult? _initialized;
    private int _disposed;

    /// <param name="root">An open root to serve instead of opening one on initialize (not disposed by the session).</param>
    public RpcSession(RpcOptions options, RpcNotifier notifier, MltrackRoot? root = null)
    {
        _options = options;
        _given = root;
        _log = options.Log ?? Console.Error;
        Notifier = notifier;
    }

    public RpcNotifier Notifier { get; }

    public MltrackRoot Root => _root ?? throw RpcException.NotInitialized();

    public ITrackingStore Store => Root.Store;

    /// <summary>Where the store's artifacts' bytes are (the root's artifact store).</summary>
    public IArtifactStore Artifacts => Root.Artifacts;

    public RunLaunches Launches => _launches ?? throw RpcException.NotInitialized();

    public string? WorkspaceFolder { get; private set; }

    /// <summary>Completes when the client called shutdown.</summary>
    public Task ShutdownRequested => _shutdown.Task;

    public static string ServerVersion { get; } =
        typeof(RpcSession).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(RpcSession).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    public async Task<InitializeResult> InitializeAsync(InitializeParams? p, CancellationToken cancellationToken)
    {
        p ??= new InitializeParams();
        await _initLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var folder = string.IsNullOrWhiteSpace(p.WorkspaceFolder) ? null : Path.GetFullPath(p.WorkspaceFolder);
            var location = StoreFor(p.StorePath, folder);
            if (_initialized is { } done)
            {
                if (_location!.SameStore(location)) return done;
                throw new RpcException(RpcErrorCodes.InvalidState, "INVALID_STATE",
                    $"Already initialized with the store '{done.StorePath}'; start another backend for '{location.Display}'.");
            }
            if (_shutdown.Task.IsCompleted) throw new RpcException(RpcErrorCodes.InvalidState, "INVALID_STATE", "The backend is shutting down.");
            if (_given is not null && !_given.Layout.Store.SameStore(location))
                throw new RpcException(RpcErrorCodes.InvalidState, "INVALID_STATE",
                    $"This backend serves the store '{_given.Layout.Store.Display}'; start another backend for '{location.Display}'.");

            var root = _given ?? MltrackRoot.Open(_options.Settings with { Store = location }, _log);
            try
            {
                var crashed = CrashRecovery.MarkCrashedRuns(root.Store, root.Artifacts);
                if (crashed.Count > 0) _log.WriteLine($"mltrack rpc: marked {crashed.Count} run(s) whose launcher died as CRASHED.");
                var tracking = new TrackingServerHost();
                // Started in the background: Kestrel's start-up would double the time to the first answer.
                // Launches wait for it (RunLaunches), so every launched run gets its URL and token.
                if (p.StartTrackingServer)
                    tracking.Start(root, _log);
                _tracking = tracking;
                _root = root;
                _location = location;
                WorkspaceFolder = folder;
                _launches = new RunLaunches(root, Notifier, _options, tracking.GetEndpointAsync);
                _watcher = new StoreWatcher(root.Store, Notifier, _options);
            }
            catch
            {
                if (_given is null) await root.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            _log.WriteLine($"mltrack rpc: {p.ClientName ?? "client"} {p.ClientVersion} initialized on {location.Display}");
            return _initialized = new InitializeResult(
                ServerVersion,
                ProtocolVersion,
                location.Display,
                folder,
                location.SchemaVersion,
                _tracking?.Endpoint?.Url.ToString(),
                new ServerCapabilities(
                    TextSearch: true,
                    Launch: true,
                    TrackingServer: p.StartTrackingServer,
                    Lineage: true,
                    MetricBuckets: true,
                    Notifications: [RpcMethods.RunsChanged, RpcMethods.LogAppend, RpcMethods.DeploymentsChanged, RpcMethods.PreferencesChanged]));
        }
        finally
        {
            _initLock.Release();
        }
    }

    /// <summary>Stops launched runs, flushes notifications, closes the tracking server and the store, then signals <see cref="ShutdownRequested"/>.</summary>
    public async Task ShutdownAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        _shutdown.TrySetResult();
    }

    private async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_launches is { } launches) await launches.StopAllAsync().ConfigureAwait(false);
        if (_watcher is { } watcher) await watcher.DisposeAsync().ConfigureAwait(false);
        await Notifier.FlushAsync(force: true).ConfigureAwait(false);
        if (_tracking is { } tracking) await tracking.DisposeAsync().ConfigureAwait(false);
        // The store stays open: a request racing with shutdown gets an answer, and the process ends right after.
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        if (_given is null && _root is { } owned) await owned.DisposeAsync().ConfigureAwait(false);
        _shutdown.TrySetResult();
    }

    /// <summary>
    /// The explicit store (a path, relative to the workspace folder, or a URI: see <see cref="StoreLocation"/>), else the
    /// workspace's <c>.mltrack/mltrack.db</c>, else the user-level store.
    /// </summary>
    private StoreLocation StoreFor(string? explicitStore, string? folder)
    {
        if (!string.IsNullOrWhiteSpace(explicitStore)) return StoreLocation.Parse(explicitStore, folder ?? Environment.CurrentDirectory);
        if (folder is not null) return StoreLocation.Sqlite(Path.Combine(folder, WorkspaceLocator.FolderName, WorkspaceLocator.DatabaseFileName));
        var userFolder = _options.UserStoreFolder
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), WorkspaceLocator.FolderName);
        return StoreLocation.Sqlite(Path.Combine(Path.GetFullPath(userFolder), WorkspaceLocator.DatabaseFileName));
    }
}
