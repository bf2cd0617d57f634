using System.Reflection;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Launch;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Core.Workspace;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Rpc;

/// <summary>
/// The state one RPC connection shares between its method groups: the store opened by initialize, the in-process
/// tracking server, launched runs, the store watcher and the notifier. Methods other than initialize refuse to run
/// before it (<see cref="RpcErrorCodes.NotInitialized"/>).
/// </summary>
public sealed class RpcSession : IAsyncDisposable
{
    public const int ProtocolVersion = 1;

    private readonly RpcOptions _options;
    private readonly TextWriter _log;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private readonly TaskCompletionSource _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITrackingStore? _store;
    private IArtifactStore? _artifacts;
    private RunLaunches? _launches;
    private StoreWatcher? _watcher;
    private TrackingServerHost? _tracking;
    private InitializeResult? _initialized;
    private int _disposed;

    public RpcSession(RpcOptions options, RpcNotifier notifier)
    {
        _options = options;
        _log = options.Log ?? Console.Error;
        Notifier = notifier;
    }

    public RpcNotifier Notifier { get; }

    public ITrackingStore Store => _store ?? throw RpcException.NotInitialized();

    /// <summary>Where the store's artifacts are (<see cref="RpcOptions.ArtifactsUri"/>, else the store's local folder).</summary>
    public IArtifactStore Artifacts => _artifacts ?? throw RpcException.NotInitialized();

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
            var storePath = StorePathFor(p.StorePath, folder);
            if (_initialized is { } done)
            {
                if (PathsEqual(done.StorePath, storePath)) return done;
                throw new RpcException(RpcErrorCodes.InvalidState, "INVALID_STATE",
                    $"Already initialized with the store '{done.StorePath}'; start another backend for '{storePath}'.");
            }
            if (_shutdown.Task.IsCompleted) throw new RpcException(RpcErrorCodes.InvalidState, "INVALID_STATE", "The backend is shutting down.");

            var store = SqliteTrackingStore.Open(storePath);
            if (store.PermissionNote is { } note) _log.WriteLine(note);
            IArtifactStore? artifacts = null;
            try
            {
                try
                {
                    artifacts = ArtifactStoreFactory.Open(_options.ArtifactsUri, store.ArtifactRoot);
                }
                catch (ArgumentException e)
                {
                    throw RpcException.InvalidParams(e.Message);
                }
                var crashed = CrashRecovery.MarkCrashedRuns(store, artifacts);
                if (crashed.Count > 0) _log.WriteLine($"mltrack rpc: marked {crashed.Count} run(s) whose launcher died as CRASHED.");
                var tracking = new TrackingServerHost();
                // Started in the background: Kestrel's start-up would double the time to the first answer.
                // Launches wait for it (RunLaunches), so every launched run gets its URL and token.
                if (p.StartTrackingServer)
                    tracking.Start(store, artifacts, Path.GetDirectoryName(storePath)!, _log);
                _tracking = tracking;
                _store = store;
                _artifacts = artifacts;
                WorkspaceFolder = folder;
                _launches = new RunLaunches(store, artifacts, Notifier, _options, tracking.GetEndpointAsync);
                _watcher = new StoreWatcher(store, Notifier, _options);
            }
            catch
            {
                artifacts?.Dispose();
                store.Dispose();
                throw;
            }
            _log.WriteLine($"mltrack rpc: {p.ClientName ?? "client"} {p.ClientVersion} initialized on {storePath}");
            return _initialized = new InitializeResult(
                ServerVersion,
                ProtocolVersion,
                storePath,
                folder,
                SqliteTrackingStore.SchemaVersion,
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
        _artifacts?.Dispose();
        _store?.Dispose();
        _shutdown.TrySetResult();
    }

    /// <summary>Explicit store path, else the workspace's <c>.mltrack/mltrack.db</c>, else the user-level store.</summary>
    private string StorePathFor(string? explicitPath, string? folder)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath)) return Path.GetFullPath(explicitPath, folder ?? Environment.CurrentDirectory);
        if (folder is not null) return Path.Combine(folder, WorkspaceLocator.FolderName, WorkspaceLocator.DatabaseFileName);
        var userFolder = _options.UserStoreFolder
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), WorkspaceLocator.FolderName);
        return Path.Combine(Path.GetFullPath(userFolder), WorkspaceLocator.DatabaseFileName);
    }

    private static bool PathsEqual(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
}
