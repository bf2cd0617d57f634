namespace MLTrack.Core.Search;

/// <summary>A run attribute usable in filters and sort terms, and the <c>runs</c> column that holds it.</summary>
internal sealed record RunAttribute(string Name, string Column, bool IsNumeric, bool CompareAsText = false)
{
    /// <summary>The column as filters compare it (integer ids compare as their text, as MLflow's ids are strings).</summary>
    public string FilterSql(string runAlias) =>
        CompareAsText ? $"CAST({runAlias}.{Column} AS TEXT)" : $"{runAlias}.{Column}";

    /// <summary>The column as sort terms order it.</summary>
    public string OrderSql(string runAlias) => $"{runAlias}.{Column}";
}
