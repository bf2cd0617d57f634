using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLTrack.Server.Rpc;

/// <summary>
/// Reads every RPC params object so that a member of the wrong JSON kind fails the call with -32602 naming the
/// member and the kind it takes (<see cref="RpcParamErrors"/>), for all methods at once. The params are read with
/// the same options minus this factory; only a failure looks at the JSON again.
/// </summary>
internal sealed class RpcParamsConverterFactory(IReadOnlySet<Type> paramsTypes) : JsonConverterFactory
{
    private JsonSerializerOptions? _inner;

    public override bool CanConvert(Type typeToConvert) => paramsTypes.Contains(typeToConvert);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        var inner = _inner;
        if (inner is null)
        {
            inner = new JsonSerializerOptions(options);
            for (int i = inner.Converters.Count - 1; i >= 0; i--)
            {
                if (inner.Converters[i] is RpcParamsConverterFactory) inner.Converters.RemoveAt(i);
            }
            inner = Interlocked.CompareExchange(ref _inner, inner, null) ?? inner;
        }
        return (JsonConverter)Activator.CreateInstance(typeof(ParamsConverter<>).MakeGenericType(typeToConvert), inner)!;
    }

    private sealed class ParamsConverter<T>(JsonSerializerOptions inner) : JsonConverter<T>
    {
        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var start = reader;
            try
            {
                return JsonSerializer.Deserialize<T>(ref reader, inner);
            }
            catch (JsonException e)
            {
                using var sent = JsonDocument.ParseValue(ref start);
                throw RpcException.InvalidParams(RpcParamErrors.Describe(e.Path, typeof(T), sent.RootElement, inner));
            }
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value, inner);
    }
}
