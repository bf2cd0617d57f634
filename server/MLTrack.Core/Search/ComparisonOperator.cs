namespace MLTrack.Core.Search;

/// <summary>
/// The comparators of MLflow's search syntax. Metrics and numeric attributes take the ordering comparators;
/// params, tags and string attributes take equality, <c>LIKE</c>, <c>ILIKE</c>, <c>IN</c> and <c>NOT IN</c>.
/// </summary>
public enum ComparisonOperator
{
    Equal,
    NotEqual,
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
    /// <summary>Case-sensitive SQL pattern match (<c>%</c> any run, <c>_</c> one character).</summary>
    Like,
    /// <summary>Case-insensitive SQL pattern match.</summary>
    ILike,
    In,
    NotIn,
}
