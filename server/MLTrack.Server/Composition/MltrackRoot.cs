using MLTrack.Core.Analytics;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Deploy;
using MLTrack.Core.Launch;
using MLTrack.Core.Lineage;
using MLTrack.Core.Preferences;
using MLTrack.Core.Reports;
using MLTrack.Core.Storage;
using MLTrack.Server.Http;

namespace MLTrack.Server.Composition;

/// <summary>
/// The one place that builds the objects a process works with, for the CLI, the RPC session, the REST server and the
/// browser UI alike: the store (through <see cref="StoreFactory"/>), the artifact store (through <see cref="ArtifactStoreFactory"/>), the one
/// <see cref="DeploymentService"/> of the process, the other services, and the tracking server's options, all from
/// one <see cref="MltrackLayout"/>. Whoever opens it disposes it, which stops local deployments and closes the store.
/// </summary>
public sealed class MltrackRoot : IAsyncDisposable
{
    private readonly Lazy<DeploymentService> _deployments;
    private int _disposed;

    private MltrackRoot(MltrackLayout layout, ITrackingStore store, IArtifactStore artifacts)
    {
        Layout = layout;
        Store = store;
        Artifacts = artifacts;
        // Built on first use: the service marks orphaned records when created.
        _deployments = new Lazy<DeploymentService>(() => new DeploymentService(store, layout.DeploymentsFolder, artifacts: artifacts));
    }

    public MltrackLayout Layout { get; }

    public ITrackingStore Store { get; }

    /// <summary>Resolves the settings and opens the store (created or migrated when needed); notes for the user go to <paramref name="log"/>.</summary>
    /// <exception cref="SettingsException">A setting that cannot be used.</exception>
    /// <exception cref="StoreException">The store cannot be parsed or opened (naming the file, or host and port).</exception>
    public static MltrackRoot Open(MltrackSettings settings, TextWriter? log = null)
    {
        var layout = MltrackLayout.Resolve(settings);
        IArtifactStore artifacts;
        try
        {
            // Nothing is sent to S3 here: a bad setting fails now, an unreachable bucket when artifacts are used.
            artifacts = ArtifactStoreFactory.Open(layout.Artifacts.S3Uri, layout.ArtifactRoot, settings.Environment);
        }
        catch (ArgumentException e)
        {
            throw new SettingsException(e.Message);
        }
        try
        {
            var store = StoreFactory.Open(layout.Store, new StoreOpenOptions
            {
                ArtifactRoot = layout.ArtifactRoot,
                Notice = note => log?.WriteLine(note),
            });
            return new MltrackRoot(layout, store, artifacts);
        }
        catch
        {
            artifacts.Dispose();
            throw;
        }
    }

    /// <summary>Where run artifacts' bytes live: the local folder, or S3 with that folder as its cache.</summary>
    public IArtifactStore Artifacts { get; }

    /// <summary>The process's deployment service for this store: REST and RPC share it, so both see the same live deployments.</summary>
    public DeploymentService Deployments => _deployments.Value;

    public ReportService Reports(TimeProvider? clock = null) => new(Store, Layout.ReportsFolder, clock);

    public AnalyticsService Analytics() => new(Store);

    public ProductionAnalytics Production(HttpClient http) => new(Store, Deployments.WorkRoot, http);

    public PreferencesService Preferences() => new(Store);

    public LineageService Lineage() => new(Store);

    /// <summary>Users, tokens, teams and the audit log, kept in the store's database.</summary>
    public Core.Accounts.AccountService Accounts() => new(Store);

    /// <summary>Launches tracked runs with this root's artifact settings (CLI and editor alike).</summary>
    public RunLauncher Launcher() => new(Store, Artifacts);

    /// <summary>The bearer token from <see cref="MltrackLayout.TokenFile"/>, created when missing.</summary>
    public string LoadToken() => TokenFile.LoadOrCreateAt(Layout.TokenFile);

    /// <summary>
    /// A tracking server's options for this root: its token, artifact store and deployment service, and for a SQLite
    /// store the folder of its one-server lock and <c>server.json</c> (none for PostgreSQL: replicas share the database).
    /// Callers add where to listen and where to log.
    /// </summary>
    public TrackingServerOptions ServerOptions() => new()
    {
        MltrackDirectory = Layout.ServerFolder,
        Token = LoadToken(),
        Artifacts = Artifacts,
        Deployments = _deployments,
    };

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            if (_deployments.IsValueCreated) await _deployments.Value.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            Artifacts.Dispose();
            Store.Dispose();
        }
    }
}
