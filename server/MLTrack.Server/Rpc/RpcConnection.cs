using MLTrack.Server.Rpc.Framing;
using StreamJsonRpc;

namespace MLTrack.Server.Rpc;

/// <summary>
/// One JSON-RPC connection over a pair of streams: LSP framing (resynchronising after malformed frames), System.Text.Json
/// with camelCase, every method group registered, notifications wired to the client. The stdio host and the
/// in-process tests both build one of these.
/// </summary>
public sealed class RpcConnection : IAsyncDisposable
{
    private readonly LspMessageHandler _handler;
    private DeploymentsRpc? _deployments;

    private RpcConnection(JsonRpc rpc, LspMessageHandler handler, RpcSession session, RpcNotifier notifier)
    {
        _handler = handler;
        JsonRpc = rpc;
        Session = session;
        Notifier = notifier;
    }

    public JsonRpc JsonRpc { get; }

    public RpcSession Session { get; }

    public RpcNotifier Notifier { get; }

    /// <summary>Completes when the client disconnects (end of input) or the connection is disposed.</summary>
    public Task Completion => JsonRpc.Completion;

    /// <summary>Set when the connection ended because its input could not be resynchronised after malformed frames.</summary>
    public string? InputFailure => _handler.FatalError;

    /// <summary>Starts listening on <paramref name="receiving"/> and answering on <paramref name="sending"/>.</summary>
    /// <param name="root">An open root to serve (the browser UI shares its process's); null: initialize opens one, owned by the session.</param>
    public static RpcConnection Start(Stream sending, Stream receiving, RpcOptions? options = null, Composition.MltrackRoot? root = null)
    {
        options ??= new RpcOptions();
        var log = options.Log ?? Console.Error;
        var methods = RpcMethodTable.Instance;
        var handler = new LspMessageHandler(sending, receiving, RpcJson.CreateServerFormatter(methods), methods, options.FrameStallTimeout, log, options.MaxMessageBytes);
        var rpc = new MLTrackJsonRpc(handler, log);
        var notifier = new RpcNotifier((method, args) => rpc.NotifyWithParameterObjectAsync(method, args), options);
        var session = new RpcSession(options, notifier, root);
        var targetOptions = new JsonRpcTargetOptions
        {
            MethodNameTransform = CommonMethodNameTransforms.CamelCase,
            UseSingleObjectParameterDeserialization = true,
            NotifyClientOfEvents = false,
        };
        rpc.AddLocalRpcTarget<IServerRpc>(new ServerRpc(session), targetOptions);
        rpc.AddLocalRpcTarget<IExperimentsRpc>(new ExperimentsRpc(session), targetOptions);
        rpc.AddLocalRpcTarget<IRunsRpc>(new RunsRpc(session), targetOptions);
        rpc.AddLocalRpcTarget<IMetricsRpc>(new MetricsRpc(session), targetOptions);
        rpc.AddLocalRpcTarget<ISearchRpc>(new SearchRpc(session), targetOptions);
        rpc.AddLocalRpcTarget<ILineageRpc>(new LineageRpc(session), targetOptions);
        rpc.AddLocalRpcTarget<IArtifactsRpc>(new ArtifactsRpc(session), targetOptions);
        rpc.AddLocalRpcTarget<IReportsRpc>(new ReportsRpc(session), targetOptions);
        var deployments = new DeploymentsRpc(session, (method, args) => rpc.NotifyWithParameterObjectAsync(method, args));
        rpc.AddLocalRpcTarget<IDeploymentsRpc>(deployments, targetOptions);
        rpc.AddLocalRpcTarget<IAnalyticsRpc>(new AnalyticsRpc(session), targetOptions);
        rpc.AddLocalRpcTarget<IPreferencesRpc>(new PreferencesRpc(session, (method, args) => rpc.NotifyWithParameterObjectAsync(method, args)), targetOptions);
        rpc.StartListening();
        return new RpcConnection(rpc, handler, session, notifier) { _deployments = deployments };
    }

    public async ValueTask DisposeAsync()
    {
        if (_deployments is { } deployments) await deployments.DisposeAsync().ConfigureAwait(false);
        await Session.DisposeAsync().ConfigureAwait(false);
        await Notifier.DisposeAsync().ConfigureAwait(false);
        JsonRpc.Dispose();
        try
        {
            // A reader blocked on a pipe (stdin) does not notice disposal; the process exits anyway.
            await JsonRpc.Completion.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // a broken or abandoned connection ends the same way
        }
    }
}
