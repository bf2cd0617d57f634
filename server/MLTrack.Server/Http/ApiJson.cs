using Microsoft.AspNetCore.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MLTrack.Server.Http.Dto;

namespace MLTrack.Server.Http;

/// <summary>
/// The JSON dialect of the REST API, as MLflow's server speaks it: snake_case names, unset fields left out, int64
/// read from numbers or strings (protobuf's JSON writes them as strings), NaN and ±Infinity as the strings "NaN",
/// "Infinity", "-Infinity"; strings only from JSON strings (a key sent as <c>5</c> is refused), except the ids and enums
/// marked <see cref="ProtobufTextConverter"/>. GET requests carry the same messages in the query string. A value of the
/// wrong kind is a 400 naming the field and the kind expected (<see cref="JsonBindingError"/>).
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
        o.Converters.Add(new StrictStringConverter());
        o.MakeReadOnly();
        return o;
    }

    /// <summary>The POST body as <typeparamref name="T"/>; an empty body is an empty message. Bad JSON is a 400 naming the field and the expected kind.</summary>
    public static async Task<T> ReadBodyAsync<T>(HttpContext ctx) where T : new()
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        if (buffer.Length == 0) return new T();
        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        try
        {
            return JsonSerializer.Deserialize<T>(body.Span, Options)
                ?? throw new ApiException(ErrorCodes.BadRequest, "The request body must be a JSON object, not null.");
        }
        catch (JsonException e)
        {
            throw JsonBindingError.Describe(e, typeof(T), Options, () => JsonNode.Parse(body.Span));
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
            throw JsonBindingError.Describe(e, typeof(T), Options, () => obj);
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
}
