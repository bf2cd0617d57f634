using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using MLTrack.Core.Names;
using MLTrack.Server.Http.Dto;

namespace MLTrack.Server.Http;

/// <summary>
/// Turns a <see cref="JsonException"/> from reading a request into MLflow's wording, for every endpoint at once:
/// <c>Invalid value "abc" for parameter 'metrics[0].value' supplied: expected a number.</c> The expected kind comes from
/// the request type at the error's path and the value from the request itself, never from the exception's text (which
/// names .NET types such as <c>System.Nullable`1[System.Double]</c>).
/// </summary>
internal static class JsonBindingError
{
    private const int MaxShownValueLength = 100;

    /// <param name="request">The request as a document, to quote the offending value; null when it is not JSON at all.</param>
    public static ApiException Describe(JsonException e, Type target, JsonSerializerOptions options, Func<JsonNode?> request)
    {
        var where = e.LineNumber is { } line && e.BytePositionInLine is { } pos ? $" (line {line + 1}, byte {pos + 1})" : "";
        var segments = e.Path is { } path ? ParsePath(path) : null;
        if (IsSyntaxError(e) || segments is null)
        {
            var near = segments is { Count: > 0 } ? $" near field '{Display(segments)}'" : "";
            return new ApiException(ErrorCodes.BadRequest, $"Malformed JSON request body{near}{where}: {SyntaxReason(e)}");
        }
        if (segments.Count == 0)
            return new ApiException(ErrorCodes.BadRequest, "The request body must be a JSON object.");
        var field = Display(segments);
        var kind = ExpectedKind(target, segments, options) ?? "a value of another type";
        var shown = ValueAt(SafeParse(request), segments) is { } value ? Quote(value) + " " : "";
        return ApiException.InvalidParameter($"Invalid value {shown}for parameter '{field}' supplied: expected {kind}.");
    }

    private static bool IsSyntaxError(JsonException e) => e.InnerException?.GetType().Name == "JsonReaderException";

    /// <summary>The reader's own reason ("'}' is an invalid start of a value."), without the path and position it appends.</summary>
    private static string SyntaxReason(JsonException e)
    {
        var reason = e.Message;
        foreach (var marker in new[] { " Path: ", " LineNumber: " })
        {
            var cut = reason.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0) reason = reason[..cut];
        }
        return reason.Trim();
    }

    /// <summary>"$.metrics[0].value" or "$['odd key']" as property names and indexes; null when it does not parse.</summary>
    internal static List<object>? ParsePath(string path)
    {
        if (!path.StartsWith('$')) return null;
        var segments = new List<object>();
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = i + 1;
                while (end < path.Length && path[end] is not ('.' or '[')) end++;
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0) return null;
                segments.Add(path[(i + 2)..end]);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), out var index)) return null;
                segments.Add(index);
                i = end + 1;
            }
            else
            {
                return null;
            }
        }
        return segments;
    }

    private static string Display(List<object> segments)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var s in segments)
        {
            if (s is int index) sb.Append('[').Append(index).Append(']');
            else sb.Append(sb.Length == 0 ? "" : ".").Append(NameRules.Printable((string)s));
        }
        return sb.ToString();
    }

    /// <summary>What the request type holds at <paramref name="segments"/>, in words; null when the path leads nowhere known.</summary>
    private static string? ExpectedKind(Type type, List<object> segments, JsonSerializerOptions options)
    {
        string? converterKind = null;
        foreach (var segment in segments)
        {
            converterKind = null;
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (segment is int)
            {
                if (ElementType(type) is not { } element) return null;
                type = element;
                continue;
            }
            if (DictionaryValueType(type) is { } valueType)
            {
                type = valueType;
                continue;
            }
            var info = options.GetTypeInfo(type);
            if (info.Kind != JsonTypeInfoKind.Object) return null;
            var property = info.Properties.FirstOrDefault(p => p.Name == (string)segment);
            if (property is null) return null;
            converterKind = (property.CustomConverter as IExpectedKind)?.Kind;
            type = property.PropertyType;
        }
        return converterKind ?? KindOf(type);
    }

    private static string KindOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "a string";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return "a number";
        if (type == typeof(long) || type == typeof(int) || type == typeof(short)) return "an integer";
        if (type.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(type));
        if (DictionaryValueType(type) is { } value) return value == typeof(string) ? "an object of strings" : "an object";
        if (ElementType(type) is { } element) return element == typeof(string) ? "a list of strings" : "a list";
        return "an object";
    }

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string)) return null;
        if (type.IsArray) return type.GetElementType();
        if (DictionaryValueType(type) is not null) return null;
        return Generic(type, typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }

    private static Type? DictionaryValueType(Type type) =>
        (Generic(type, typeof(IReadOnlyDictionary<,>)) ?? Generic(type, typeof(IDictionary<,>)))?.GetGenericArguments()[1];

    /// <summary><paramref name="type"/> itself or the interface it implements that is <paramref name="definition"/>&lt;…&gt;.</summary>
    private static Type? Generic(Type type, Type definition) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == definition ? type
        : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);

    private static JsonNode? SafeParse(Func<JsonNode?> request)
    {
        try
        {
            return request();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonNode? ValueAt(JsonNode? node, List<object> segments)
    {
        foreach (var segment in segments)
        {
            node = (segment, node) switch
            {
                (int index, JsonArray array) when index < array.Count => array[index],
                (string name, JsonObject obj) when obj.TryGetPropertyValue(name, out var child) => child,
                _ => null,
            };
            if (node is null) return null;
        }
        return node;
    }

    /// <summary>The value as JSON text (strings quoted, invisible characters escaped), cut to a readable length.</summary>
    private static string Quote(JsonNode value)
    {
        var text = value.ToJsonString(); // the default encoder escapes every invisible character
        return text.Length <= MaxShownValueLength ? text : text[..MaxShownValueLength] + "…";
    }
}
