using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLTrack.Core.Deploy;

/// <summary>
/// The shape of ONE instance (request row) or ONE prediction: <see cref="Shape"/> without the batch dimension
/// (<c>[]</c> a scalar, <c>[4]</c> four values, <c>[1, 28, 28]</c> nested lists), the JSON Schema type of its values
/// (<c>number</c>, <c>integer</c>, <c>string</c>, <c>boolean</c>, or <c>any</c>), and for one-dimensional instances
/// optional column names and per-column types (tabular data with mixed columns).
/// </summary>
public sealed record TensorSpec(IReadOnlyList<int> Shape, string ElementType, IReadOnlyList<string>? Columns = null, IReadOnlyList<string>? ColumnTypes = null)
{
    private static readonly string[] s_types = ["number", "integer", "string", "boolean", "any"];

    /// <summary>The JSON form embedded in predictor.py: <c>{"shape": [...], "type": "...", "columns": [...]?, "column_types": [...]?}</c>.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["shape"] = new JsonArray(Shape.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
            ["type"] = ElementType,
        };
        if (Columns is not null) o["columns"] = new JsonArray(Columns.Select(c => (JsonNode)JsonValue.Create(c)).ToArray());
        if (ColumnTypes is not null) o["column_types"] = new JsonArray(ColumnTypes.Select(c => (JsonNode)JsonValue.Create(c)).ToArray());
        return o;
    }

    /// <summary>A JSON Schema (2020-12, as OpenAPI 3.1 uses) for one value of this spec. Named one-dimensional
    /// instances may be a list in column order or an object keyed by column name.</summary>
    public JsonObject ToJsonSchema()
    {
        if (Shape.Count == 1 && Columns is { } cols)
        {
            var asList = new JsonObject
            {
                ["type"] = "array",
                ["prefixItems"] = new JsonArray(cols.Select((c, i) => (JsonNode)Scalar(TypeOf(i), c)).ToArray()),
                ["items"] = false,
                ["minItems"] = cols.Count,
                ["maxItems"] = cols.Count,
                ["description"] = "Values in column order: " + string.Join(", ", cols),
            };
            var props = new JsonObject();
            for (var i = 0; i < cols.Count; i++) props[cols[i]] = Scalar(TypeOf(i), null);
            var asObject = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = props,
                ["required"] = new JsonArray(cols.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
                ["additionalProperties"] = false,
            };
            return new JsonObject { ["oneOf"] = new JsonArray(asList, asObject) };
        }
        return Nested(0);
    }

    private JsonObject Nested(int depth)
    {
        if (depth == Shape.Count) return Scalar(ElementType, null);
        var o = new JsonObject { ["type"] = "array", ["items"] = Nested(depth + 1) };
        if (Shape[depth] >= 0)
        {
            o["minItems"] = Shape[depth];
            o["maxItems"] = Shape[depth];
        }
        return o;
    }

    private string TypeOf(int column) => ColumnTypes is { } t && column < t.Count ? t[column] : ElementType;

    private static JsonObject Scalar(string type, string? title)
    {
        var o = type == "any" ? new JsonObject() : new JsonObject { ["type"] = type };
        if (title is not null) o["title"] = title;
        return o;
    }

    /// <summary>Infers the spec of one instance from example rows (the batch as a JSON array). Numbers are
    /// <c>number</c> unless <paramref name="distinguishIntegers"/> (outputs: class labels stay integers).</summary>
    public static TensorSpec Infer(JsonArray rows, IReadOnlyList<string>? columns, bool distinguishIntegers)
    {
        if (rows.Count == 0) throw new DeploymentException("The example has no rows to infer a schema from.");
        var shape = ShapeOf(rows[0]);
        if (shape.Count == 1 && columns is { Count: > 0 } && columns.Count != shape[0]) columns = null;
        if (shape.Count != 1) columns = null;
        var all = new List<JsonNode?>();
        foreach (var row in rows) Flatten(row, all);
        var type = TypeOfValues(all, distinguishIntegers);
        IReadOnlyList<string>? columnTypes = null;
        if (shape.Count == 1 && type == "any")
        {
            var per = new string[shape[0]];
            for (var c = 0; c < per.Length; c++)
                per[c] = TypeOfValues(rows.Select(r => r is JsonArray a && c < a.Count ? a[c] : null).ToList(), distinguishIntegers);
            columnTypes = per;
        }
        return new TensorSpec(shape, type, columns, columnTypes);
    }

    /// <summary>The spec from a per-instance shape alone (tags, <c>n_features_in_</c>): numeric values.</summary>
    public static TensorSpec Numeric(IReadOnlyList<int> shape, IReadOnlyList<string>? columns) =>
        new(shape, "number", shape.Count == 1 && columns is { } c && c.Count == shape[0] ? columns : null);

    private static List<int> ShapeOf(JsonNode? value)
    {
        var shape = new List<int>();
        while (value is JsonArray a)
        {
            shape.Add(a.Count);
            value = a.Count > 0 ? a[0] : null;
        }
        return shape;
    }

    private static void Flatten(JsonNode? value, List<JsonNode?> into)
    {
        if (value is JsonArray a) foreach (var v in a) Flatten(v, into);
        else into.Add(value);
    }

    private static string TypeOfValues(IReadOnlyList<JsonNode?> values, bool distinguishIntegers)
    {
        string? type = null;
        foreach (var v in values)
        {
            if (v is null) continue; // null/NaN in the sample says nothing about the type
            string t = v.GetValueKind() switch
            {
                JsonValueKind.Number => distinguishIntegers && v.AsValue().TryGetValue<JsonElement>(out var e) && e.TryGetInt64(out _) ? "integer" : "number",
                JsonValueKind.String => "string",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                _ => "any",
            };
            if (type is null) type = t;
            else if (type != t)
                type = (type, t) is ("integer", "number") or ("number", "integer") ? "number" : "any";
        }
        return type ?? "number";
    }

    internal static bool IsKnownType(string type) => s_types.Contains(type);
}
