using System.Text.Json;
using MLTrack.Server.Rpc.Framing;
using StreamJsonRpc;

namespace MLTrack.Server.Rpc;

/// <summary>Why a frame's body is not a message the formatter could read, and the id to answer it with.</summary>
/// <param name="Id">The request's id when it has a usable one (so the caller is not left waiting), else null.</param>
/// <param name="ResyncFrom">Null: the frame was sound, go on after it. Else the offset in the body from which to look for the next header (the body was not one JSON value).</param>
internal sealed record RpcEnvelopeProblem(RequestId Id, int Code, string Message, int? ResyncFrom);

/// <summary>
/// Explains a body the JSON-RPC formatter refused (it throws with messages meant for .NET developers, and the
/// request's id is lost with them). Every request whose id can be read is answered with that id.
/// </summary>
internal static class RpcEnvelope
{
    public static RpcEnvelopeProblem Diagnose(ReadOnlySpan<byte> body)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException e)
        {
            int end = JsonValues.LeadingValueLength(body);
            if (end > 0) return new(IdOf(body[..end]), RpcErrorCodes.InvalidRequest, LspFrameScanner.TooLarge(body.Length, end), end);
            var why = end == 0
                ? $"the body ends inside its JSON value (is Content-Length {body.Length} too small?)"
                : $"the body is not valid JSON ({e.Message})";
            return new(RequestId.Null, RpcErrorCodes.ParseError, $"Malformed message: {why}; skipped to the next 'Content-Length:' header.", 0);
        }
        using (doc)
        {
            return Describe(doc.RootElement);
        }
    }

    private static RpcEnvelopeProblem Describe(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array)
            return Invalid(RequestId.Null, "batches (JSON arrays of messages) are not supported: send one message per frame.");
        if (root.ValueKind != JsonValueKind.Object)
            return Invalid(RequestId.Null, $"a message must be a JSON object, got {RpcParamErrors.Actual(root)}.");
        var id = RequestId.Null;
        if (root.TryGetProperty("id", out var idElement))
        {
            if (!TryReadId(idElement, out id))
                return Invalid(RequestId.Null, $"'id' must be a string or an integer, got {RpcParamErrors.Actual(idElement)}.");
        }
        if (root.TryGetProperty("jsonrpc", out var version) && version.ValueKind != JsonValueKind.String)
            return Invalid(id, $"'jsonrpc' must be \"2.0\", got {RpcParamErrors.Actual(version)}.");
        if (!root.TryGetProperty("method", out var method))
        {
            return root.TryGetProperty("result", out _) || root.TryGetProperty("error", out _)
                ? Invalid(id, "a response's 'error' must be an object with an integer 'code' and a string 'message'.")
                : Invalid(id, "a request needs a 'method' (a string).");
        }
        if (method.ValueKind != JsonValueKind.String)
            return Invalid(id, $"'method' must be a string, got {RpcParamErrors.Actual(method)}.");
        if (root.TryGetProperty("params", out var p) && p.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null))
            return new(id, RpcErrorCodes.InvalidParams, $"params must be an object, got {RpcParamErrors.Actual(p)}.", null);
        return Invalid(id, "the message is not a valid JSON-RPC 2.0 request.");
    }

    private static RpcEnvelopeProblem Invalid(RequestId id, string message) =>
        new(id, RpcErrorCodes.InvalidRequest, "Invalid request: " + message, null);

    /// <summary>The id of a complete JSON value, when it is an object with a usable id.</summary>
    public static RequestId IdOf(ReadOnlySpan<byte> value)
    {
        try
        {
            using var doc = JsonDocument.Parse(value.ToArray());
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("id", out var e) && TryReadId(e, out var id)
                ? id
                : RequestId.Null;
        }
        catch (JsonException)
        {
            return RequestId.Null;
        }
    }

    private static bool TryReadId(JsonElement e, out RequestId id)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                id = new RequestId(e.GetString());
                return true;
            case JsonValueKind.Number when e.TryGetInt64(out var n):
                id = new RequestId(n);
                return true;
            case JsonValueKind.Null:
                id = RequestId.Null;
                return true;
            default:
                id = RequestId.Null;
                return false;
        }
    }
}
