using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLTrack.Core.Deploy;

/// <summary>Python source literals for values placed into generated files (always escaped, never pasted raw).</summary>
internal static class PythonLiteral
{
    /// <summary>A double-quoted Python string literal; non-ASCII and control characters as escapes.</summary>
    public static string String(string? value)
    {
        if (value is null) return "None";
        var sb = new StringBuilder("\"");
        foreach (var ch in value)
        {
            switch (ch)
            {
                case '\\': sb.Append("\\\\"); break;
                case '"': sb.Append("\\\""); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (ch < 0x20 || ch > 0x7e) sb.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(ch);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>A float literal: always with a decimal point or exponent (<c>2.0</c>, not <c>2</c>).</summary>
    public static string Number(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "Python literals must be finite.");
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A JSON value as a Python literal (dict/list/str/int/float/True/False/None), on one line.</summary>
    public static string FromJson(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return "None";
            case JsonObject o:
                return "{" + string.Join(", ", o.Select(p => String(p.Key) + ": " + FromJson(p.Value))) + "}";
            case JsonArray a:
                return "[" + string.Join(", ", a.Select(FromJson)) + "]";
            default:
                var v = node.AsValue();
                return v.GetValueKind() switch
                {
                    JsonValueKind.String => String(v.GetValue<string>()),
                    JsonValueKind.True => "True",
                    JsonValueKind.False => "False",
                    JsonValueKind.Number => v.ToJsonString(),
                    _ => "None",
                };
        }
    }

    /// <summary>A list of strings as a Python list literal.</summary>
    public static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(String)) + "]";
}
