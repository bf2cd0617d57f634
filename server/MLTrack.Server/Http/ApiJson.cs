using System.Buffers;
using Microsoft.AspNetCore.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace MLTrack.Server.Http;

/// <summary>
/// The JSON dialect of the REST API, as MLflow's server speaks it: snake_case names, unset fields left out, int64
/// read from numbers or strings (protobuf's JSON writes them as strings), NaN and ±Infinity as the strings "NaN",
/// "Infinity", "-Infinity". GET requests carry the same messages in the query string.
/// </summary>
internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var o = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        o.Converters.Add(new LenientStringConverter());
        o.MakeReadOnly();
        return o;
    }

    /// <summary>The POST body as <typeparamref name="T"/>; an empty body is an empty message. Bad JSON is a 400 naming the field.</summary>
    public static async Task<T> ReadBodyAsync<T>(HttpContext ctx) where T : new()
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        if (buffer.Length == 0) return new T();
        try
        {
            return JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Options)
                ?? throw new ApiException(ErrorCodes.BadRequest, "The request body must be a JSON object, not null.");
        }
        catch (JsonException e)
        {
            throw Describe(e);
        }
    }

    /// <summary>The GET query string as <typeparamref name="T"/>: repeated keys fill list fields, unknown keys are ignored.</summary>
    public static T ReadQuery<T>(HttpContext ctx) where T : new()
    {
        var info = Options.GetTypeInfo(typeof(T));
        var obj = new JsonObject();
        foreach (var prop in info.Properties)
        {
            if (!ctx.Request.Query.TryGetValue(prop.Name, out var values) || values.Count == 0) continue;
            var type = Nullable.GetUnderlyingType(prop.PropertyType) ?? prop.PropertyType;
            if (type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type))
                obj[prop.Name] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            else if (type == typeof(bool) && bool.TryParse(values[^1], out var b))
                obj[prop.Name] = b;
            else
                obj[prop.Name] = values[^1];
        }
        try
        {
            return obj.Deserialize<T>(Options) ?? new T();
        }
        catch (JsonException e)
        {
            throw Describe(e);
        }
    }

    /// <summary>Reads the message from the query string for GET and HEAD, from the JSON body otherwise.</summary>
    public static Task<T> ReadRequestAsync<T>(HttpContext ctx) where T : new() =>
        HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method)
            ? Task.FromResult(ReadQuery<T>(ctx))
            : ReadBodyAsync<T>(ctx);

    public static async Task WriteAsync(HttpContext ctx, object value)
    {
        ctx.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(ctx.Response.Body, value, value.GetType(), Options, ctx.RequestAborted);
    }

    private static ApiException Describe(JsonException e)
    {
        var field = e.Path is null or "$" ? null : e.Path.StartsWith("$.", StringComparison.Ordinal) ? e.Path[2..] : e.Path.TrimStart('$');
        var reason = e.Message;
        var cut = reason.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut > 0) reason = reason[..cut];
        if (e.InnerException is InvalidOperationException or FormatException && e.InnerException.Message is { Length: > 0 } inner)
            reason = reason.TrimEnd('.') + ": " + inner;
        var where = e.LineNumber is { } line && e.BytePositionInLine is { } pos ? $" (line {line + 1}, byte {pos + 1})" : "";
        var syntax = e.InnerException?.GetType().Name == "JsonReaderException";
        return field is null || syntax
            ? new ApiException(ErrorCodes.BadRequest, $"Malformed JSON request body{(field is null ? "" : $" near field '{field}'")}{where}: {reason}")
            : new ApiException(ErrorCodes.InvalidParameterValue, $"Invalid value for field '{field}'{where}: {reason}");
    }

    /// <summary>Strings that also accept JSON numbers and booleans as their text, as MLflow's clients sometimes send them.</summary>
    private sealed class LenientStringConverter : JsonConverter<string>
    {
        public override bool HandleNull => false;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            _ => throw new JsonException($"Expected a string, got {reader.TokenType}."),
        };

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
