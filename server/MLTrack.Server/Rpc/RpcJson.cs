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
}
