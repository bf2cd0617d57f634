using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLTrack.Server.Rpc;
using Nerdbank.Streams;

namespace MLTrack.Server.Ui;

/// <summary>
/// The browser UI's way into the RPC methods: one in-process connection over <c>FullDuplexStream.CreatePair()</c> whose
/// server side is the normal RPC session (<see cref="RpcConnection"/>, exactly what <c>mltrack rpc --stdio</c> serves),
/// and a client side that writes LSP-framed JSON-RPC requests and hands back each answer's <c>result</c> or
/// <c>error</c> as the raw JSON the session wrote, so <c>/rpc</c> answers byte for byte what stdio would. Notifications
/// the session sends (runs/changed, log/append) go to <see cref="Notification"/>.
/// </summary>
public sealed class InProcessRpc : IAsyncDisposable
{
    private readonly Stream _client;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<RpcAnswer>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private readonly TextWriter _log;
    private long _nextId;
    private int _disposed;

    private InProcessRpc(RpcConnection server, Stream client, TextWriter log)
    {
        Server = server;
        _client = client;
        _log = log;
        _reader = Task.Run(ReadLoopAsync);
    }

    /// <summary>The RPC session serving this connection.</summary>
    public RpcConnection Server { get; }

    /// <summary>Raised (on the reader's thread) for each server → client notification: method and its params as JSON text.</summary>
    public event Action<string, string>? Notification;

    /// <param name="root">The process's root, which the session serves (it does not dispose it).</param>
    public static InProcessRpc Start(RpcOptions options, Composition.MltrackRoot root)
    {
        var (serverStream, clientStream) = FullDuplexStream.CreatePair();
        var server = RpcConnection.Start(serverStream, serverStream, options, root);
        return new InProcessRpc(server, clientStream, options.Log ?? Console.Error);
    }

    /// <summary>Sends one request; <paramref name="paramsJson"/> is the params' JSON text (null: none).</summary>
    public async Task<RpcAnswer> CallAsync(string method, string? paramsJson, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<RpcAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        try
        {
            var sb = new StringBuilder(64 + (paramsJson?.Length ?? 0));
            sb.Append("{\"jsonrpc\":\"2.0\",\"id\":").Append(id).Append(",\"method\":").Append(JsonSerializer.Serialize(method));
            if (paramsJson is not null) sb.Append(",\"params\":").Append(paramsJson);
            sb.Append('}');
            await WriteFrameAsync(Encoding.UTF8.GetBytes(sb.ToString()), cancellationToken).ConfigureAwait(false);
            using var reg = cancellationToken.Register(() => _ = CancelRemoteAsync(id));
            return await tcs.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task CancelRemoteAsync(long id)
    {
        try
        {
            var body = Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{{\"id\":{id}}}}}");
            await WriteFrameAsync(body, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
    }

    private async Task WriteFrameAsync(byte[] body, CancellationToken cancellationToken)
    {
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _client.WriteAsync(header, CancellationToken.None).ConfigureAwait(false);
            await _client.WriteAsync(body, CancellationToken.None).ConfigureAwait(false);
            await _client.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        int start = 0, end = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                // headers, up to the blank line
                int headerEnd;
                while ((headerEnd = IndexOfHeaderEnd(buffer, start, end)) < 0)
                {
                    if (!await FillAsync()) return;
                }
                var headers = Encoding.ASCII.GetString(buffer, start, headerEnd - start);
                start = headerEnd + 4;
                var length = -1;
                foreach (var line in headers.Split("\r\n"))
                {
                    var colon = line.IndexOf(':');
                    if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                        length = int.Parse(line[(colon + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                }
                if (length < 0) throw new InvalidDataException("frame without Content-Length");
                if (buffer.Length < length)
                {
                    var bigger = new byte[Math.Max(length, buffer.Length * 2)];
                    Buffer.BlockCopy(buffer, start, bigger, 0, end - start);
                    end -= start;
                    start = 0;
                    buffer = bigger;
                }
                while (end - start < length)
                {
                    if (!await FillAsync()) return;
                }
                Dispatch(buffer.AsMemory(start, length));
                start += length;
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            _log.WriteLine($"mltrack ui: the in-process RPC connection failed: {e.Message}");
        }
        finally
        {
            foreach (var (_, tcs) in _pending) tcs.TrySetException(new IOException("The RPC session ended."));
        }

        async Task<bool> FillAsync()
        {
            if (start > 0 && (start == end || buffer.Length - end < 4096))
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            var n = await _client.ReadAsync(buffer.AsMemory(end), _stop.Token).ConfigureAwait(false);
            if (n <= 0) return false;
            end += n;
            return true;
        }
    }

    private static int IndexOfHeaderEnd(byte[] b, int start, int end)
    {
        var i = b.AsSpan(start, end - start).IndexOf("\r\n\r\n"u8);
        return i < 0 ? -1 : start + i;
    }

    private void Dispatch(ReadOnlyMemory<byte> body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var hasId = root.TryGetProperty("id", out var idEl) && idEl.ValueKind == JsonValueKind.Number;
        if (root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String)
        {
            if (hasId) return; // the session never calls the client
            var paramsJson = root.TryGetProperty("params", out var p) ? p.GetRawText() : "null";
            try
            {
                Notification?.Invoke(m.GetString()!, paramsJson);
            }
            catch (Exception e)
            {
                _log.WriteLine($"mltrack ui: notification handler failed: {e.Message}");
            }
            return;
        }
        if (!hasId || !_pending.TryGetValue(idEl.GetInt64(), out var tcs)) return;
        if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            var code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci) ? ci : RpcErrorCodes.InternalError;
            tcs.TrySetResult(new RpcAnswer(null, error.GetRawText(), code));
        }
        else
        {
            tcs.TrySetResult(new RpcAnswer(root.TryGetProperty("result", out var r) ? r.GetRawText() : "null", null, 0));
        }
    }

    /// <summary>Calls <c>initialize</c> (the answer's JSON, or throws with the error's JSON).</summary>
    public async Task<string> InitializeAsync(string storePath, string? workspaceFolder, CancellationToken cancellationToken)
    {
        var p = new JsonObject
        {
            ["workspaceFolder"] = workspaceFolder,
            ["storePath"] = storePath,
            ["clientName"] = "mltrack ui",
            ["clientVersion"] = RpcSession.ServerVersion,
            ["startTrackingServer"] = true,
        };
        var answer = await CallAsync(RpcMethods.Initialize, p.ToJsonString(), cancellationToken).ConfigureAwait(false);
        if (answer.ErrorJson is { } err) throw new InvalidOperationException($"initialize failed: {err}");
        return answer.ResultJson!;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            // Stops runs launched through the UI (recorded KILLED) and flushes notifications, as stdio's shutdown does.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var id = Interlocked.Increment(ref _nextId);
            var tcs = new TaskCompletionSource<RpcAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[id] = tcs;
            await WriteFrameAsync(Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"{RpcMethods.Shutdown}\"}}"), timeout.Token).ConfigureAwait(false);
            await tcs.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or TimeoutException)
        {
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        await Server.DisposeAsync().ConfigureAwait(false);
        _client.Dispose();
        try
        {
            await _reader.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}

/// <summary>One answer: the <c>result</c>'s JSON text, or the <c>error</c> object's JSON text and its code.</summary>
public sealed record RpcAnswer(string? ResultJson, string? ErrorJson, int ErrorCode);
