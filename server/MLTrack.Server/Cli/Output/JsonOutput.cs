using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLTrack.Server.Cli.Output;

/// <summary>The CLI's --json: snake_case names as in MLflow, NaN/±Infinity as the strings "NaN"/"Infinity"/"-Infinity".</summary>
public static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static void Write<T>(TextWriter w, T value) => w.WriteLine(JsonSerializer.Serialize(value, Options));
}
