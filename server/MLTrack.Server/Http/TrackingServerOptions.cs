using Microsoft.AspNetCore.Builder;

namespace MLTrack.Server.Http;

/// <summary>How <see cref="TrackingServer"/> listens and guards itself. Defaults are the safe ones: loopback, a free port, a token.</summary>
public sealed record TrackingServerOptions
{
    /// <summary>Where to listen; default 127.0.0.1 on a free port. Anything but loopback needs <see cref="AllowRemote"/>.</summary>
    public BindAddress Bind { get; init; } = BindAddress.LoopbackAnyPort;

    /// <summary>Permits a non-loopback <see cref="Bind"/>; the server then warns on <see cref="Log"/> and no longer checks the Host header.</summary>
    public bool AllowRemote { get; init; }

    /// <summary>
    /// Who may use the server: <see cref="Auth.AuthMode.Local"/> (the default: <see cref="Token"/>) or
    /// <see cref="Auth.AuthMode.Users"/> (users' access tokens from the store's accounts; <see cref="Token"/> grants nothing).
    /// </summary>
    public Auth.AuthMode Auth { get; init; } = Http.Auth.AuthMode.Local;

    /// <summary>
    /// Users mode: sends email sign-in links (<c>--smtp</c>, <c>--mail-from</c>); null: no email sign-in routes.
    /// </summary>
    public MLTrack.Core.Accounts.ISignInMailer? SignInMailer { get; init; }

    /// <summary>Where people reach the server (<c>--public-url</c>): the base of mailed links and the origin the browser's pages have. Null: <see cref="TrackingServer.BaseAddress"/>.</summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>Users mode: GitHub's API, against which GitHub tokens are verified (default api.github.com; a stand-in in tests). Null: no GitHub sign-in.</summary>
    public Uri? GitHubApi { get; init; } = MLTrack.Core.Accounts.GitHubSignIn.DefaultApi;

    /// <summary>The clock of tokens, sessions, sign-in codes and their limits; default the system's.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>The bearer token; null: the store's token from <c>&lt;MltrackDirectory&gt;/token</c> (created when missing), or a random one without a directory.</summary>
    public string? Token { get; init; }

    /// <summary>The <c>.mltrack</c> folder: where <c>server.json</c> is written (and removed on stop) and the token is kept. Null: neither.</summary>
    public string? MltrackDirectory { get; init; }

    /// <summary>
    /// How long stopping waits for requests in flight (an upload streaming, log-batch calls) before cutting them off;
    /// new connections are refused from the first moment of the stop. Default 10 s.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = DefaultDrainTimeout;

    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Largest JSON request body (MLflow's log-batch limit is 1 MB).</summary>
    public long MaxJsonBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Largest artifact upload, streamed to disk (default 2 GiB).</summary>
    public long MaxArtifactBytes { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>
    /// Where artifact bytes are stored and served from (a folder or S3, see <see cref="MLTrack.Core.Artifacts.ArtifactStoreFactory"/>);
    /// owned by the caller. Null: the store's local artifact folder (<see cref="MLTrack.Core.Storage.ITrackingStore.ArtifactRoot"/>).
    /// </summary>
    public MLTrack.Core.Artifacts.IArtifactStore? Artifacts { get; init; }

    /// <summary>Checks <c>/health</c> runs besides the database's (e.g. the S3 artifact store's), by name.</summary>
    public IReadOnlyList<KeyValuePair<string, Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck>> HealthChecks { get; init; } = [];

    /// <summary>
    /// The process's deployment service (built on first use), which <c>/api/deployments</c> serves; stopping the server
    /// stops the local deployments it runs. Null: the server builds its own, working in
    /// <c>&lt;MltrackDirectory&gt;/deployments</c> (a new temporary folder without one).
    /// </summary>
    public Lazy<MLTrack.Core.Deploy.DeploymentService>? Deployments { get; init; }

    /// <summary>Where warnings and internal errors go; default standard error (never standard output, which may carry JSON-RPC).</summary>
    public TextWriter? Log { get; init; }

    /// <summary>
    /// Extra routes and middleware (the browser UI, <c>/rpc</c>): called after error handling is installed and before
    /// the token/Host guard, so what it adds may answer requests the guard would refuse (it then guards them itself).
    /// </summary>
    public Action<WebApplication>? ConfigureApp { get; init; }
}
