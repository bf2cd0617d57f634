using System.Buffers;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace MLTrack.Server.Rpc.Framing;

/// <summary>
/// The backend's LSP framing. StreamJsonRpc's HeaderDelimitedMessageHandler gives up the connection on a bad header,
/// waits forever on a Content-Length larger than the body, and answers a request it cannot read with id null; an
/// editor backend must survive all of that. Frames are found by <see cref="LspFrameScanner"/>, which resynchronises
/// on the next header after a bad one; each bad frame gets one error answer (-32700 or -32600, with the request's
/// id when it can be read), each request with an id exactly one answer. Params that cannot fit the method are
/// refused here with -32602 (<see cref="RpcMethodTable"/>). Only input that cannot be resynchronised at all ends
/// the connection, with <see cref="FatalError"/> set so the process exits non-zero.
/// </summary>
internal sealed class LspMessageHandler : StreamMessageHandler
{
    private const int InitialSize = 64 * 1024;
    private const int MinRead = 4 * 1024;

    private readonly LspFrameScanner _scanner;
    private readonly RpcMethodTable _methods;
    private readonly TimeSpan _stallTimeout;
    private readonly TextWriter _log;
    private readonly FrameBuffer _out = new();
    private byte[] _in = new byte[InitialSize];
    private int _start;
    private int _end;
    private Task<int>? _pendingRead;

    /// <param name="stallTimeout">How long bytes that can only be a bad frame if nothing follows (a header without
    /// its blank line, a JSON body shorter than its Content-Length) wait for more before they are answered as bad.</param>
    public LspMessageHandler(Stream sending, Stream receiving, IJsonRpcMessageFormatter formatter, RpcMethodTable methods,
        TimeSpan stallTimeout, TextWriter log, int maxBodyBytes)
        : base(sending, receiving, formatter)
    {
        _scanner = new LspFrameScanner(maxBodyBytes);
        _methods = methods;
        _stallTimeout = stallTimeout;
        _log = log;
    }

    /// <summary>Why the input could not be resynchronised; set just before the connection ends because of it.</summary>
    public string? FatalError { get; private set; }

    private enum Fill
    {
        Data,
        Stalled,
        End,
    }

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        bool stalled = false;
        while (true)
        {
            var r = _scanner.Next(_in.AsSpan(_start, _end - _start), stalled);
            stalled = false;
            switch (r.Kind)
            {
                case ScanKind.Frame:
                    var message = await ReadFrameAsync(r, cancellationToken).ConfigureAwait(false);
                    if (message is not null) return message;
                    break;
                case ScanKind.Bad:
                    var id = r.BodyLength > 0 ? RpcEnvelope.IdOf(_in.AsSpan(_start + r.BodyStart, r.BodyLength)) : RequestId.Null;
                    _start += r.Consumed;
                    await ReportAsync(id, r.Code, r.Message!, cancellationToken).ConfigureAwait(false);
                    break;
                case ScanKind.Fatal:
                    FatalError = r.Message;
                    _log.WriteLine($"mltrack rpc: {r.Message}; closing the connection.");
                    throw new InvalidDataException(r.Message);
                default:
                    _start += r.Consumed;
                    switch (await FillAsync(r.MayStall ? _stallTimeout : null, cancellationToken).ConfigureAwait(false))
                    {
                        case Fill.End:
                            return null;
                        case Fill.Stalled:
                            stalled = true;
                            break;
                    }
                    break;
            }
        }
    }

    /// <summary>The message in a well-framed body, or null when it was refused (and answered).</summary>
    private async ValueTask<JsonRpcMessage?> ReadFrameAsync(ScanResult r, CancellationToken cancellationToken)
    {
        // A copy: the formatter keeps the parsed document over these bytes until the request is dispatched.
        var body = _in.AsSpan(_start + r.BodyStart, r.BodyLength).ToArray();
        JsonRpcMessage message;
        try
        {
            message = Formatter.Deserialize(new ReadOnlySequence<byte>(body));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var problem = RpcEnvelope.Diagnose(body);
            if (problem.ResyncFrom is { } from)
            {
                _start += r.BodyStart + from;
                _scanner.Resync();
            }
            else
            {
                _start += r.Consumed;
            }
            await ReportAsync(problem.Id, problem.Code, problem.Message, cancellationToken).ConfigureAwait(false);
            return null;
        }
        _start += r.Consumed;
        if (message is JsonRpcRequest request && _methods.Refusal(request, body) is { } refusal)
        {
            if (request.IsResponseExpected) await ReportAsync(request.RequestId, RpcErrorCodes.InvalidParams, refusal, cancellationToken).ConfigureAwait(false);
            else _log.WriteLine($"mltrack rpc: ignored the notification '{request.Method}': {refusal}");
            return null;
        }
        return message;
    }

    /// <summary>Reads more input. With a timeout, a read that outlasts it stays pending (nothing is lost) and Stalled is returned.</summary>
    private async ValueTask<Fill> FillAsync(TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (_pendingRead is null)
        {
            MakeRoom();
            var read = ReceivingStream!.ReadAsync(_in.AsMemory(_end), cancellationToken);
            if (timeout is null || read.IsCompleted) return Filled(await read.ConfigureAwait(false));
            _pendingRead = read.AsTask(); // only a read that may outlive a stall needs a Task
        }
        if (timeout is { } t && !_pendingRead.IsCompleted)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(t, stop.Token);
            var first = await Task.WhenAny(_pendingRead, delay).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            if (first != _pendingRead)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return Fill.Stalled;
            }
        }
        try
        {
            return Filled(await _pendingRead.ConfigureAwait(false));
        }
        finally
        {
            _pendingRead = null;
        }
    }

    private Fill Filled(int n)
    {
        if (n == 0) return Fill.End;
        _end += n;
        return Fill.Data;
    }

    private void MakeRoom()
    {
        if (_start == _end)
        {
            _start = _end = 0;
            if (_in.Length > 16 * InitialSize) _in = new byte[InitialSize];
        }
        else if (_start > 0 && _in.Length - _end < MinRead)
        {
            Buffer.BlockCopy(_in, _start, _in, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_in.Length - _end < MinRead) Array.Resize(ref _in, _in.Length * 2);
    }

    private async Task ReportAsync(RequestId id, int code, string message, CancellationToken cancellationToken)
    {
        _log.WriteLine($"mltrack rpc: {message}");
        try
        {
            var error = (Formatter as IJsonRpcMessageFactory)?.CreateErrorMessage() ?? new JsonRpcError();
            error.RequestId = id;
            error.Error = new JsonRpcError.ErrorDetail
            {
                Code = (JsonRpcErrorCode)code,
                Message = message,
                Data = new RpcErrorData(code == RpcErrorCodes.InvalidParams ? "INVALID_PARAMETER_VALUE" : "INVALID_REQUEST"),
            };
            await WriteAsync(error, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.WriteLine($"mltrack rpc: could not answer the malformed message: {e.Message}");
        }
    }

    protected override async ValueTask WriteCoreAsync(JsonRpcMessage content, CancellationToken cancellationToken)
    {
        _out.Reset();
        Formatter.Serialize(_out, content);
        await SendingStream!.WriteAsync(_out.Frame(), cancellationToken).ConfigureAwait(false);
    }
}
