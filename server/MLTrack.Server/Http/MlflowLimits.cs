using MLTrack.Core.Metrics;
using MLTrack.Core.Names;
using MLTrack.Server.Http.Dto;

namespace MLTrack.Server.Http;

/// <summary>
/// MLflow 2.x's validation limits (mlflow/utils/validation.py) and the checks that apply them, so a request MLflow
/// would refuse is refused here too, with the same error code and a message naming the limit.
/// </summary>
internal static class MlflowLimits
{
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxParamsPerBatch = 100;
    public const int MaxTagsPerBatch = 100;
    public const int MaxEntitiesPerBatch = 1000;
    public const int MaxParamValueLength = 6000;
    public const int MaxTagValueLength = 5000;
    public const int MaxExperimentNameLength = 500;
    public const int DefaultSearchResults = 1000;
    public const int MaxSearchResults = 50_000;

    public static void CheckBatchSize(int metrics, int parameters, int tags)
    {
        CheckCount(metrics, MaxMetricsPerBatch, "metrics");
        CheckCount(parameters, MaxParamsPerBatch, "params");
        CheckCount(tags, MaxTagsPerBatch, "tags");
        var total = metrics + parameters + tags;
        if (total > MaxEntitiesPerBatch)
            throw ApiException.InvalidParameter(
                $"A batch logging request can contain at most {MaxEntitiesPerBatch} metrics, params, and tags in total. Got {total} entities. " +
                "Please split up entities across multiple requests and try again.");
    }

    private static void CheckCount(int count, int limit, string what)
    {
        if (count > limit)
            throw ApiException.InvalidParameter(
                $"A batch logging request can contain at most {limit} {what}. Got {count} {what}. Please split up {what} across multiple requests and try again.");
    }

    /// <summary>A metric, param or tag key: present and valid under <see cref="NameRules"/> (MLflow's key rule), else a 400 naming the field.</summary>
    public static string Key(string? key, string field, string entity)
    {
        if (string.IsNullOrEmpty(key)) throw ApiException.MissingParameter(field);
        if (NameRules.KeyProblem(key) is { } problem)
            throw ApiException.InvalidParameter($"Invalid {entity.ToLowerInvariant()} key '{NameRules.Printable(key)}' in '{field}': {problem}.");
        return key;
    }

    /// <summary>An experiment or run name without control or invisible characters; null stays null.</summary>
    public static string? Name(string? name, string field, string what)
    {
        if (name is not null && NameRules.NameProblem(name) is { } problem)
            throw ApiException.InvalidParameter($"Invalid {what} '{NameRules.Printable(name)}' in '{field}': {problem}.");
        return name;
    }

    public static string ParamValue(string? value, string field, string key) => Value(value, field, key, "Param", MaxParamValueLength);

    public static string TagValue(string? value, string field, string key) => Value(value, field, key, "Tag", MaxTagValueLength);

    private static string Value(string? value, string field, string key, string entity, int limit)
    {
        if (value is null) throw ApiException.MissingParameter(field);
        if (value.Length > limit)
            throw ApiException.InvalidParameter(
                $"{entity} value '{Truncate(value)}' for key '{key}' had length {value.Length}, which exceeded length limit of {limit}.");
        return value;
    }

    public static KeyValuePair<string, string> Param(KeyValueMessage? p, string field)
    {
        if (p is null) throw ApiException.MissingParameter(field);
        var key = Key(p.Key, field + ".key", "Param");
        return new(key, ParamValue(p.Value, field + ".value", key));
    }

    public static KeyValuePair<string, string> Tag(KeyValueMessage? t, string field)
    {
        if (t is null) throw ApiException.MissingParameter(field);
        var key = Key(t.Key, field + ".key", "Tag");
        var value = TagValue(t.Value, field + ".value", key);
        // mlflow.runName renames the run: its value is a run name too.
        if (key == MlflowMapping.RunNameTag) Name(value, field + ".value", "run name");
        return new(key, value);
    }

    public static MetricPoint Metric(MetricMessage? m, string field, long now)
    {
        if (m is null) throw ApiException.MissingParameter(field);
        var key = Key(m.Key, field + ".key", "Metric");
        if (m.Value is not { } value) throw ApiException.MissingParameter(field + ".value");
        return new MetricPoint(key, value, m.Timestamp ?? now, m.Step ?? 0);
    }

    /// <summary>max_results for searches: default 1000, between 1 and 50,000.</summary>
    public static int SearchResults(long? requested, string field = "max_results")
    {
        var n = requested ?? DefaultSearchResults;
        if (n is < 1 or > MaxSearchResults)
            throw ApiException.InvalidParameter($"Invalid value {n} for parameter '{field}' supplied. It must be at least 1 and at most {MaxSearchResults}.");
        return (int)n;
    }

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
