using System.Collections.Concurrent;
using System.Text.Json;
using MLTrack.Core.Storage;
using MLTrack.Server.Rpc;
using MLTrack.Server.Rpc.Dto;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace MLTrack.Server.Tests.Rpc;

/// <summary>
/// A backend and a client in one process over <c>FullDuplexStream.CreatePair()</c>, speaking the same framing and
/// JSON settings as the editor. The client records every notification it receives.
/// </summary>
public sealed class RpcHarness : IAsyncDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("mltrack-rpc-").FullName;
    public string Workspace => Path.Combine(Dir, "ws");
    public string UserFolder => Path.Combine(Dir, "home", ".mltrack");
    public RpcConnection Server { get; }
    public JsonRpc Client { get; }
    public NotificationSink Notifications { get; } = new();

    /// <summary>The stream the client writes to, for tests that send raw bytes.</summary>
    public Stream ClientStream { get; }

    /// <param name="configure">Changes to the backend's options (e.g. a shorter frame stall timeout).</param>
    public RpcHarness(bool startClient = true, Func<RpcOptions, RpcOptions>? configure = null)
    {
        Directory.CreateDirectory(Workspace);
        var (serverStream, clientStream) = FullDuplexStream.CreatePair();
        ClientStream = clientStream;
        var options = new RpcOptions
        {
            UserStoreFolder = UserFolder,
            PollInterval = TimeSpan.FromMilliseconds(100),
            RunChangeInterval = TimeSpan.FromMilliseconds(100),
            LogFlushInterval = TimeSpan.FromMilliseconds(50),
            SystemMetricsInterval = TimeSpan.Zero,
            KillGracePeriod = TimeSpan.FromSeconds(2),
            Log = TextWriter.Null,
        };
        Server = RpcConnection.Start(serverStream, serverStream, configure is null ? options : configure(options));
        Client = new ClientJsonRpc(new HeaderDelimitedMessageHandler(clientStream, clientStream, RpcJson.CreateFormatter()));
        Client.AddLocalRpcTarget(Notifications, new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true });
        if (startClient) Client.StartListening();
    }

    public ITrackingStore Store => Server.Session.Store;

    public Task<T> Call<T>(string method, object? args = null) => Client.InvokeWithParameterObjectAsync<T>(method, args);

    public Task Call(string method, object? args = null) => Client.InvokeWithParameterObjectAsync(method, args);

    public Task<InitializeResult> InitializeAsync() =>
        Call<InitializeResult>(RpcMethods.Initialize, new { workspaceFolder = Workspace, startTrackingServer = false });

    /// <summary>The JSON-RPC error a call fails with.</summary>
    public async Task<(int Code, JsonElement Data, string Message)> ErrorOf(string method, object? args = null)
    {
        var e = await Assert.ThrowsAnyAsync<RemoteRpcException>(() => Call<JsonElement>(method, args));
        return e switch
        {
            RemoteInvocationException i => (i.ErrorCode, i.DeserializedErrorData is JsonElement d ? d : default, i.Message),
            RemoteMethodNotFoundException m => ((int)m.ErrorCode, default, m.Message),
            _ => throw new InvalidOperationException($"unexpected {e.GetType().Name}: {e.Message}"),
        };
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A client that keeps error data as JSON (StreamJsonRpc would read it as its own CommonErrorData).</summary>
public sealed class ClientJsonRpc(IJsonRpcMessageHandler handler) : JsonRpc(handler)
{
    protected override Type? GetErrorDetailsDataType(StreamJsonRpc.Protocol.JsonRpcError error) => typeof(JsonElement);
}

/// <summary>Receives the backend's notifications and lets tests wait for one.</summary>
public sealed class NotificationSink
{
    private readonly ConcurrentQueue<object> _all = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public IReadOnlyList<RunChangedParams> RunChanges => _all.OfType<RunChangedParams>().ToList();
    public IReadOnlyList<LogAppendParams> Logs => _all.OfType<LogAppendParams>().ToList();

    [JsonRpcMethod(RpcMethods.RunsChanged)]
    public void RunsChanged(RunChangedParams p) => Add(p);

    [JsonRpcMethod(RpcMethods.LogAppend)]
    public void LogAppend(LogAppendParams p) => Add(p);

    [JsonRpcMethod(RpcMethods.PreferencesChanged)]
    public void PreferencesChanged(PreferencesResult p) => Add(p);

    private void Add(object o)
    {
        _all.Enqueue(o);
        _arrived.Release();
    }

    public async Task<T> WaitFor<T>(Func<T, bool> match, int timeoutMs = 15_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            if (_all.OfType<T>().FirstOrDefault(match) is { } found) return found;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"No {typeof(T).Name} matched within {timeoutMs} ms; got: {string.Join("; ", _all.Select(o => JsonSerializer.Serialize(o)))}");
            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }
}
