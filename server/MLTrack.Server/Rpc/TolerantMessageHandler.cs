using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace MLTrack.Server.Rpc;

/// <summary>
/// LSP framing that survives bad input. StreamJsonRpc drops the connection on a frame it cannot parse; an editor
/// backend must not die because one message was garbled. A frame whose body is not a JSON-RPC message is answered
/// with a -32700 parse error (id null, as the spec says) and reading goes on with the next frame.
/// </summary>
internal sealed class TolerantMessageHandler(Stream sending, Stream receiving, IJsonRpcMessageFormatter formatter, TextWriter log)
    : HeaderDelimitedMessageHandler(sending, receiving, formatter)
{
    private const int MaxConsecutiveFailures = 100;

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        for (int failures = 0; ; failures++)
        {
            try
            {
                return await base.ReadCoreAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (failures < MaxConsecutiveFailures && IsBadMessage(e) && !cancellationToken.IsCancellationRequested)
            {
                log.WriteLine($"mltrack rpc: ignored a malformed message: {e.GetType().Name}: {e.Message}");
                await ReportAsync(e, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsBadMessage(Exception e) =>
        e is not (OperationCanceledException or ObjectDisposedException or IOException or EndOfStreamException);

    private async Task ReportAsync(Exception e, CancellationToken cancellationToken)
    {
        try
        {
            var error = (Formatter as IJsonRpcMessageFactory)?.CreateErrorMessage() ?? new JsonRpcError();
            error.RequestId = RequestId.Null;
            error.Error = new JsonRpcError.ErrorDetail
            {
                Code = e is BadRpcHeaderException ? JsonRpcErrorCode.InvalidRequest : JsonRpcErrorCode.ParseError,
                Message = $"Malformed message ignored: {e.Message}",
            };
            await WriteAsync(error, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception writeError) when (writeError is not OperationCanceledException)
        {
            log.WriteLine($"mltrack rpc: could not report the malformed message: {writeError.Message}");
        }
    }
}
