using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using MLTrack.Server.Http.Dto;

namespace MLTrack.Server.Http;

/// <summary>
/// Kestrel answers the requests it cannot parse (a malformed request line or header: 400; a URL longer than
/// <see cref="KestrelServerLimits.MaxRequestLineSize"/>: 414; headers over their limits: 431; …) by itself, before any
/// middleware runs, and with an empty body. This gives those answers the same JSON error body as every other
/// (<c>{"error_code": "BAD_REQUEST", "message": …}</c>): a connection middleware wraps each connection's output in an
/// <see cref="ErrorBodyWriter"/>, and Kestrel's documented "bad request" diagnostic event, raised just before it writes
/// such an answer, arms that connection's writer.
/// </summary>
internal sealed class KestrelErrorBodies : IObserver<KeyValuePair<string, object?>>
{
    public const string BadRequestEvent = "Microsoft.AspNetCore.Server.Kestrel.BadRequest";

    /// <summary>The server's limits, named in the messages; set when Kestrel is configured.</summary>
    public KestrelServerLimits Limits { get; set; } = new();

    private readonly ConcurrentDictionary<string, ErrorBodyWriter> _writers = new();

    /// <summary>The connection middleware (for <c>ListenOptions.Use</c>).</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var transport = connection.Transport;
        var writer = new ErrorBodyWriter(transport.Output, Body);
        connection.Transport = new Duplex(transport.Input, writer);
        _writers[connection.ConnectionId] = writer;
        try
        {
            await next(connection);
        }
        finally
        {
            _writers.TryRemove(connection.ConnectionId, out _);
            connection.Transport = transport;
        }
    };

    /// <summary>Listens to the host's diagnostic events for Kestrel's bad requests; dispose to stop.</summary>
    public IDisposable Subscribe(DiagnosticListener listener) => listener.Subscribe(this, name => name == BadRequestEvent);

    public void OnNext(KeyValuePair<string, object?> value)
    {
        // The payload is the request's feature collection; an answer already under way cannot be given a body.
        if (value.Key != BadRequestEvent || value.Value is not IFeatureCollection features) return;
        if (features.Get<IHttpResponseFeature>()?.HasStarted == true) return;
        if (features.Get<IHttpConnectionFeature>()?.ConnectionId is { } id && _writers.TryGetValue(id, out var writer))
            writer.Arm(features.Get<IBadRequestExceptionFeature>()?.Error?.Message);
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    private byte[] Body(int status, string? reason) => JsonSerializer.SerializeToUtf8Bytes(
        new ErrorResponse { ErrorCode = ErrorCodes.BadRequest, Message = Message(status, reason) }, ApiJson.Options);

    private string Message(int status, string? reason) => status switch
    {
        414 => $"The request URL is too long: the request line may be at most {Limits.MaxRequestLineSize} bytes.",
        431 => $"The request headers are too large: at most {Limits.MaxRequestHeaderCount} headers of {Limits.MaxRequestHeadersTotalSize} bytes in all.",
        408 => "The request headers did not arrive in time.",
        _ => "Malformed HTTP request" + (Reason(reason) is { } r ? ": " + r : "."),
    };

    /// <summary>Kestrel's reason without the empty detail it appends when it keeps the request's bytes to itself.</summary>
    private static string? Reason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) return null;
        var text = reason.Trim();
        if (text.EndsWith(": ''", StringComparison.Ordinal)) text = text[..^4];
        return Core.Names.NameRules.Printable(text, 200).TrimEnd('.') + ".";
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}
