namespace MLTrack.Core.Search;

/// <summary>A parsed filter: the AND of its clauses. No clauses means every run matches.</summary>
public sealed class FilterExpression
{
    public static FilterExpression Empty { get; } = new([]);

    public FilterExpression(IReadOnlyList<FilterClause> clauses)
    {
        ArgumentNullException.ThrowIfNull(clauses);
        Clauses = [.. clauses];
    }

    public IReadOnlyList<FilterClause> Clauses { get; }

    public bool IsEmpty => Clauses.Count == 0;

    public override string ToString() => string.Join(" AND ", Clauses);
}
