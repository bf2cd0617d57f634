using System.Globalization;
using MLTrack.Core.Names;
using MLTrack.Core.Search;

namespace MLTrack.Core.Storage;

/// <summary>
/// The checks every store applies itself, whoever calls it, so that the stores accept and refuse the same input with
/// the same words. NameRules is applied here so no caller (REST, RPC, launcher, a future one) can write a key or name
/// that spoofs another; callers that know the request's field names check first to say which field was wrong.
/// </summary>
internal static class StoreRules
{
    /// <summary>Shortest run-id prefix <see cref="IRunStore.ResolveRunId"/> accepts.</summary>
    public const int MinPrefixLength = 6;

    /// <summary>Most runs one search page returns.</summary>
    public const int MaxSearchResults = 50_000;

    public static string CheckKey(string key, string entity)
    {
        try
        {
            return NameRules.CheckKey(key, entity);
        }
        catch (InvalidNameException e)
        {
            throw new StoreException(StoreErrorCode.InvalidParameterValue, e.Message, e);
        }
    }

    public static string? CheckName(string? name, string what)
    {
        try
        {
            return NameRules.CheckName(name, what);
        }
        catch (InvalidNameException e)
        {
            throw new StoreException(StoreErrorCode.InvalidParameterValue, e.Message, e);
        }
    }

    public static void CheckTags(IEnumerable<KeyValuePair<string, string>>? tags)
    {
        foreach (var (k, _) in tags ?? []) CheckKey(k, "tag");
    }

    public static void CheckExperimentName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new StoreException(StoreErrorCode.InvalidParameterValue, "Experiment name must be a non-empty string.");
        CheckName(name, "experiment name");
    }

    /// <summary>Every key of a log-batch, before anything is written: a batch with one bad key is refused whole.</summary>
    public static void CheckBatch(RunBatch batch)
    {
        string? checkedKey = null; // batches repeat one key point after point: check each run of it once
        foreach (var m in batch.Metrics)
            if (m.Key != checkedKey) checkedKey = CheckKey(m.Key, "metric");
        foreach (var (k, _) in batch.Params) CheckKey(k, "param");
        CheckTags(batch.Tags);
    }

    /// <summary>A caller-chosen run id must look like a generated one.</summary>
    public static void CheckRunId(string runId)
    {
        if (!(runId.Length == 32 && runId.All(ch => ch is >= '0' and <= '9' or >= 'a' and <= 'f')))
            throw new StoreException(StoreErrorCode.InvalidParameterValue, $"Run id '{runId}' must be 32 lowercase hexadecimal characters.");
    }

    /// <summary>The normalized prefix to look up, refused when too short to be useful.</summary>
    public static string RunIdPrefix(string idOrPrefix)
    {
        var text = idOrPrefix.Trim().ToLowerInvariant();
        if (text.Length < MinPrefixLength)
            throw new StoreException(StoreErrorCode.InvalidParameterValue, $"Run id '{idOrPrefix}' is too short: give at least {MinPrefixLength} characters.");
        return text;
    }

    /// <summary>The run a prefix names among (at most six) ids starting with it.</summary>
    public static string ResolvePrefix(string idOrPrefix, string prefix, IReadOnlyList<string> matches) => matches switch
    {
        [] => throw StoreErrors.RunNotFound(idOrPrefix),
        [var one] => one,
        _ when matches.Contains(prefix) => prefix,
        _ => throw new StoreException(StoreErrorCode.InvalidParameterValue,
            $"Run id prefix '{idOrPrefix}' is ambiguous: it matches {string.Join(", ", matches.Take(5))}{(matches.Count > 5 ? ", …" : "")}. Give more characters."),
    };

    public static long ParseExperimentId(string experimentId) =>
        long.TryParse(experimentId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new StoreException(StoreErrorCode.InvalidParameterValue, $"Invalid experiment id '{experimentId}': expected a whole number.");

    /// <summary>Page size and sort-term count of a search, before any SQL is built.</summary>
    public static void CheckQuery(RunQuery query)
    {
        if (query.MaxResults is < 1 or > MaxSearchResults)
            throw new StoreException(StoreErrorCode.InvalidParameterValue, $"max_results must be between 1 and {MaxSearchResults}, got {query.MaxResults}.");
        if (query.OrderBy.Count > OrderByParser.MaxTerms)
            throw new FilterSyntaxException(query.OrderBy[OrderByParser.MaxTerms], 0,
                $"a search may sort by at most {OrderByParser.MaxTerms} order_by terms; this one gives {query.OrderBy.Count}", "order_by");
    }

    public static string ExperimentIdText(long id) => id.ToString(CultureInfo.InvariantCulture);
}
