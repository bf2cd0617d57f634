namespace MLTrack.Core.Search;

/// <summary>
/// One comparison of a filter: <c>metrics.acc &gt; 0.9</c> is (Metric, "acc", GreaterThan, 0.9).
/// For attributes, <see cref="Key"/> is the canonical attribute name (<c>run_name</c>, <c>start_time</c>, ...).
/// <see cref="Position"/> is the 0-based offset of the identifier in the filter text.
/// </summary>
public sealed record FilterClause(EntityKind Entity, string Key, ComparisonOperator Op, FilterValue Value, int Position);
