using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Preferences;

/// <summary>
/// Per-user preferences kept in the store (the browser UI's; VS Code keeps its own as settings). Values are
/// validated by name: a bad one is refused with what is allowed, and nothing is written.
/// </summary>
public sealed partial class PreferencesService(ITrackingStore store)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly Dictionary<string, string[]> Choices = new(StringComparer.Ordinal)
    {
        ["theme"] = ["auto", "light", "dark"],
        ["notifications"] = ["all", "failures", "none"],
        ["chartXAxis"] = ["step", "wall", "relative"],
        ["tableDensity"] = ["compact", "normal", "comfortable"],
        ["reportType"] = ["executive", "technical", "cost"],
    };

    /// <summary>The user the backend runs as, for callers that name none.</summary>
    public static string DefaultUser => Environment.UserName;

    public UserPreferences Get(string? user = null)
    {
        var json = store.GetPreferences(UserOf(user));
        if (json is null) return UserPreferences.Defaults;
        try
        {
            // Stored values were validated when written; a field this build does not know is ignored.
            return JsonSerializer.Deserialize<UserPreferences>(json, Json) ?? UserPreferences.Defaults;
        }
        catch (JsonException)
        {
            return UserPreferences.Defaults;
        }
    }

    /// <summary>Changes the given fields (camelCase names), keeps the others; returns the result.</summary>
    /// <exception cref="ArgumentException">An unknown field or a value out of range, named.</exception>
    public UserPreferences Set(string? user, JsonObject values)
    {
        var name = UserOf(user);
        var merged = JsonSerializer.SerializeToNode(Get(name), Json)!.AsObject();
        foreach (var (key, value) in values)
        {
            if (!merged.ContainsKey(key))
                throw new ArgumentException($"Unknown preference '{key}'. Known: {string.Join(", ", merged.Select(p => p.Key))}.");
            merged[key] = Validate(key, value);
        }
        var result = merged.Deserialize<UserPreferences>(Json)!;
        store.SavePreferences(name, JsonSerializer.Serialize(result, Json));
        return result;
    }

    private static string UserOf(string? user) => string.IsNullOrWhiteSpace(user) ? DefaultUser : user.Trim();

    private static JsonNode Validate(string key, JsonNode? value)
    {
        if (Choices.TryGetValue(key, out var allowed))
        {
            var s = value is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
            return s is not null && allowed.Contains(s)
                ? JsonValue.Create(s)
                : throw new ArgumentException($"Preference '{key}' must be one of {string.Join(", ", allowed)}; got {Show(value)}.");
        }
        switch (key)
        {
            case "chartSmoothing":
                return Number(value, out var w) && w is >= 0 and <= 0.99
                    ? JsonValue.Create(w)
                    : throw new ArgumentException($"Preference 'chartSmoothing' must be a number from 0 to 0.99; got {Show(value)}.");
            case "cpuHourUsd" or "gpuHourUsd":
                return Number(value, out var price) && price is >= 0 and <= 1_000_000
                    ? JsonValue.Create(price)
                    : throw new ArgumentException($"Preference '{key}' must be a price in USD, 0 or more; got {Show(value)}.");
            case "runColors":
                if (value is not JsonArray a || a.Count > 64 || a.Any(c => c is not JsonValue cv || !cv.TryGetValue<string>(out var css) || !CssColor().IsMatch(css) || css.Length > 64))
                    throw new ArgumentException($"Preference 'runColors' must be a list of up to 64 CSS colours (#rgb, #rrggbb, rgb(…), hsl(…) or a name); got {Show(value)}.");
                return a.DeepClone();
            default:
                throw new ArgumentException($"Unknown preference '{key}'.");
        }
    }

    private static bool Number(JsonNode? value, out double d)
    {
        d = 0;
        return value is JsonValue v && v.TryGetValue(out d) && double.IsFinite(d);
    }

    private static string Show(JsonNode? value) => value?.ToJsonString() ?? "null";

    [GeneratedRegex(@"^(#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})|(rgb|rgba|hsl|hsla)\([0-9.,%\s]+\)|[a-zA-Z]{3,20})$")]
    private static partial Regex CssColor();
}
