using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLTrack.Server.Http.Dto;

/// <summary>A converter whose accepted JSON <see cref="Kind"/> an error message can name ("a string", "a list of strings").</summary>
internal interface IExpectedKind
{
    string Kind { get; }
}

/// <summary>
/// The API's strings: JSON strings only. A number or boolean where a string belongs (<c>{"key": 5}</c>) is refused, not
/// turned into text, as MLflow's server refuses it; only the fields marked <see cref="ProtobufTextConverter"/> differ.
/// </summary>
internal sealed class StrictStringConverter : JsonConverter<string>, IExpectedKind
{
    public string Kind => "a string";

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException(Kind);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>
/// Fields that MLflow reads from numbers as well as strings: experiment ids (its server stringifies them) and enums,
/// which protobuf's JSON gives by name or number (<c>"status": 3</c>). A number is kept as its text.
/// </summary>
internal sealed class ProtobufTextConverter : JsonConverter<string>, IExpectedKind
{
    public string Kind => "a string or a number";

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadText(ref reader, Kind);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    internal static string ReadText(ref Utf8JsonReader reader, string kind) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
        _ => throw new JsonException(kind),
    };
}

/// <summary>A list of experiment ids, each a string or a number (see <see cref="ProtobufTextConverter"/>).</summary>
internal sealed class ProtobufTextListConverter : JsonConverter<List<string>>, IExpectedKind
{
    public string Kind => "a list of strings or numbers";

    public override bool HandleNull => false;

    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException(Kind);
        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) list.Add(ProtobufTextConverter.ReadText(ref reader, Kind));
        return list;
    }

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value) writer.WriteStringValue(item);
        writer.WriteEndArray();
    }
}
