using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace MLTrack.Server.Rpc;

/// <summary>
/// Turns System.Text.Json's "The JSON value could not be converted to MLTrack.Server.Rpc.Dto.RunIdParams. Path:
/// $.runId" into what a client can act on: "'runId' must be a string, got the number 5." The parameter comes from
/// the JSON path, the expected kind from the params type's property at that path, the actual kind from the value
/// sent. No .NET type name ever reaches the message.
/// </summary>
internal static class RpcParamErrors
{
    private const int MaxShown = 40;

    /// <param name="path">The JsonException's path, relative to the params (<c>$</c>, <c>$.runId</c>, <c>$.command[1]</c>).</param>
    /// <param name="paramsType">The type the params deserialize to.</param>
    /// <param name="sent">The params as sent, when at hand.</param>
    public static string Describe(string? path, Type paramsType, JsonElement? sent, JsonSerializerOptions options)
    {
        var segments = ParsePath(path);
        if (segments is null) return "params do not have the shape this method takes.";
        Type? type = paramsType;
        JsonElement? element = sent;
        var name = new StringBuilder();
        foreach (var segment in segments)
        {
            type = type is null ? null : ChildType(type, segment, options);
            element = element is { } e ? Child(e, segment) : null;
            if (segment.Index is { } index) name.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            else name.Append(name.Length == 0 ? "" : ".").Append(segment.Name);
        }
        var subject = name.Length == 0 ? "params" : $"'{name}'";
        var expected = type is null ? null : Expected(type, element, options);
        var actual = element is { } a ? Actual(a) : null;
        return (expected, actual) switch
        {
            (null, null) => $"{subject} has the wrong type.",
            (null, _) => $"{subject} cannot be {actual}.",
            (_, null) => $"{subject} must be {expected}.",
            _ => $"{subject} must be {expected}, got {actual}.",
        };
    }

    /// <summary>A JSON value as a client would name it: "the string \"x\"", "the number 5", "an array", "null".</summary>
    public static string Actual(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => "the string " + Shorten(e.GetRawText()),
        JsonValueKind.Number => "the number " + Shorten(e.GetRawText()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };

    private static string Shorten(string raw) => raw.Length <= MaxShown ? raw : raw[..MaxShown] + "…";

    private static string? Expected(Type type, JsonElement? sent, JsonSerializerOptions options)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string) || t == typeof(char) || t == typeof(Guid) || t == typeof(Uri)) return "a string";
        if (t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(DateOnly)) return "a date string (ISO 8601)";
        if (t == typeof(TimeSpan) || t == typeof(TimeOnly)) return "a time string (hh:mm:ss)";
        if (t == typeof(bool)) return "true or false";
        if (IntegerRange(t) is { } range)
        {
            // A whole number that does not fit: say what does.
            return sent is { ValueKind: JsonValueKind.Number } n && n.GetRawText().IndexOfAny(['.', 'e', 'E']) < 0
                ? $"an integer from {range.Min} to {range.Max}"
                : "an integer";
        }
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal)) return "a number";
        if (typeof(JsonArray).IsAssignableFrom(t)) return "an array";
        if (typeof(JsonObject).IsAssignableFrom(t)) return "an object";
        if (t == typeof(JsonNode) || t == typeof(JsonElement) || t == typeof(object)) return null;
        var info = TypeInfo(t, options);
        return info?.Kind switch
        {
            JsonTypeInfoKind.Enumerable => "an array" + Of(info.ElementType),
            JsonTypeInfoKind.Dictionary => "an object" + (info.ElementType == typeof(string) ? " whose values are strings" : ""),
            JsonTypeInfoKind.Object => "an object",
            _ => null,
        };
    }

    private static string Of(Type? element)
    {
        if (element is null) return "";
        var t = Nullable.GetUnderlyingType(element) ?? element;
        if (t == typeof(string)) return " of strings";
        if (IntegerRange(t) is not null) return " of integers";
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal)) return " of numbers";
        if (t == typeof(bool)) return " of true/false values";
        return "";
    }

    private static (string Min, string Max)? IntegerRange(Type t)
    {
        static (string, string) R(object min, object max) =>
            (Convert.ToString(min, CultureInfo.InvariantCulture)!, Convert.ToString(max, CultureInfo.InvariantCulture)!);
        if (t == typeof(int)) return R(int.MinValue, int.MaxValue);
        if (t == typeof(long)) return R(long.MinValue, long.MaxValue);
        if (t == typeof(short)) return R(short.MinValue, short.MaxValue);
        if (t == typeof(byte)) return R(byte.MinValue, byte.MaxValue);
        if (t == typeof(uint)) return R(uint.MinValue, uint.MaxValue);
        if (t == typeof(ulong)) return R(ulong.MinValue, ulong.MaxValue);
        if (t == typeof(ushort)) return R(ushort.MinValue, ushort.MaxValue);
        if (t == typeof(sbyte)) return R(sbyte.MinValue, sbyte.MaxValue);
        return null;
    }

    private static Type? ChildType(Type type, PathSegment segment, JsonSerializerOptions options)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        var info = TypeInfo(t, options);
        if (info is null) return null;
        if (segment.Index is not null) return info.Kind == JsonTypeInfoKind.Enumerable ? info.ElementType : null;
        return info.Kind switch
        {
            JsonTypeInfoKind.Dictionary => info.ElementType,
            JsonTypeInfoKind.Object => info.Properties.FirstOrDefault(p => string.Equals(p.Name, segment.Name, StringComparison.OrdinalIgnoreCase))?.PropertyType,
            _ => null,
        };
    }

    private static JsonTypeInfo? TypeInfo(Type t, JsonSerializerOptions options)
    {
        try
        {
            return options.GetTypeInfo(t);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    private static JsonElement? Child(JsonElement e, PathSegment segment)
    {
        if (segment.Index is { } i)
            return e.ValueKind == JsonValueKind.Array && i < e.GetArrayLength() ? e[i] : null;
        return e.ValueKind == JsonValueKind.Object && e.TryGetProperty(segment.Name!, out var child) ? child : null;
    }

    private readonly record struct PathSegment(string? Name, int? Index);

    /// <summary>System.Text.Json's path syntax: <c>$</c>, then <c>.name</c>, <c>['name']</c> or <c>[index]</c>.</summary>
    private static List<PathSegment>? ParsePath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '$') return null;
        var segments = new List<PathSegment>();
        int i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                int end = path.IndexOfAny(['.', '['], i + 1);
                if (end < 0) end = path.Length;
                segments.Add(new(path[(i + 1)..end], null));
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                int end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0) return null;
                segments.Add(new(path[(i + 2)..end], null));
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                int end = path.IndexOf(']', i + 1);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)) return null;
                segments.Add(new(null, index));
                i = end + 1;
            }
            else
            {
                return null;
            }
        }
        return segments;
    }
}
