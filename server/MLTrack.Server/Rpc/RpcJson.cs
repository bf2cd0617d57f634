using System.Text.Json;
using System.Text.Json.Serialization;
using StreamJsonRpc;

namespace MLTrack.Server.Rpc;

/// <summary>
/// The wire format: camelCase members, dictionary keys as they are (metric and param names), nulls written, and
/// NaN/±Infinity as the strings "NaN", "Infinity", "-Infinity" (JSON has no literal for them).
/// </summary>
public static class RpcJson
{
    public static JsonSerializerOptions CreateOptions() => new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static SystemTextJsonFormatter CreateFormatter() => new() { JsonSerializerOptions = CreateOptions() };

    /// <summary>The backend's formatter: as <see cref="CreateFormatter"/>, and params of the wrong kind are -32602 naming the member.</summary>
    internal static SystemTextJsonFormatter CreateServerFormatter(RpcMethodTable methods)
    {
        var options = CreateOptions();
        options.Converters.Add(new RpcParamsConverterFactory(methods.ParamsTypes));
        return new() { JsonSerializerOptions = options };
    }
}
