namespace MLTrack.Core.Search;

/// <summary>The non-empty list of string literals of an <c>IN (...)</c> or <c>NOT IN (...)</c> clause.
/// Equality compares the items in order.</summary>
public sealed record StringListValue : FilterValue
{
    public StringListValue(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = [.. values];
    }

    public IReadOnlyList<string> Values { get; }

    public bool Equals(StringListValue? other) => other is not null && Values.SequenceEqual(other.Values);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in Values)
        {
            hash.Add(value, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }

    public override string ToString() =>
        "(" + string.Join(", ", Values.Select(v => "'" + v.Replace("'", "''", StringComparison.Ordinal) + "'")) + ")";
}
