using MLTrack.Core.Search;
using static MLTrack.Core.Storage.RunFilterRules;

namespace MLTrack.Core.Storage.Postgres;

/// <summary>
/// Turns parsed filters and sort terms into PostgreSQL SQL over the <c>runs</c> table, with the same results as
/// <see cref="Sqlite.SqliteRunFilter"/>. Every key and value becomes a parameter; the only text spliced into the SQL
/// is the caller's run alias, which must be a plain identifier. Metrics are each run's latest values in
/// <c>metric_latest</c>; a NaN value counts as missing there (NULLIF), as SQLite stores it as NULL: it matches no
/// comparison and sorts last. Text columns are COLLATE "C", so order and LIKE are byte-wise as in SQLite, and
/// patterns have no escape character, as SQLite's LIKE.
/// </summary>
public static class PostgresRunFilter
{
    /// <summary>
    /// Characters of a param or tag value that its (key, value) index holds (values may be longer than a b-tree entry).
    /// Equality tests repeat the comparison on this prefix so that the index can serve them. Matches 0001_runs.sql.
    /// </summary>
    public const int IndexedValuePrefix = 200;

    /// <summary>
    /// A boolean expression selecting the runs that match every clause, or <c>true</c> when there are none.
    /// Parameters are named <c>@f0</c>, <c>@f1</c>, ... A run lacking a metric, param or tag never matches a clause on it, even <c>!=</c>.
    /// </summary>
    public static SqlFragment Where(FilterExpression filter, string runAlias = "r")
    {
        ArgumentNullException.ThrowIfNull(filter);
        CheckAlias(runAlias);
        if (filter.IsEmpty)
        {
            return new SqlFragment("true", []);
        }
        var parameters = new List<KeyValuePair<string, object?>>();
        var parts = new List<string>(filter.Clauses.Count);
        for (var i = 0; i < filter.Clauses.Count; i++)
        {
            parts.Add(ClauseSql(filter.Clauses[i], i, runAlias, parameters));
        }
        return new SqlFragment(string.Join(" AND ", parts), parameters);
    }

    /// <summary>
    /// For sort term number <paramref name="index"/>: a LEFT JOIN to add to the FROM clause (empty for attributes) and
    /// the ORDER BY expression. Parameters are named <c>@o{index}_key</c>; the joined table is aliased <c>ob{index}</c>.
    /// Runs without the value, and NaN metrics, sort last in both directions.
    /// </summary>
    public static (SqlFragment Join, string OrderSql) OrderBy(OrderTerm term, int index, string runAlias = "r")
    {
        ArgumentNullException.ThrowIfNull(term);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        CheckAlias(runAlias);
        var direction = term.Descending ? "DESC" : "ASC";
        if (term.Entity == EntityKind.Attribute)
        {
            return (SqlFragment.Empty, $"{RunAttributes.Get(term.Key).OrderSql(runAlias)} {direction} NULLS LAST");
        }
        var alias = $"ob{index}";
        var keyParameter = $"@o{index}_key";
        var join = new SqlFragment(
            $"LEFT JOIN {TableOf(term.Entity)} {alias} ON {alias}.run_id = {runAlias}.run_id AND {alias}.key = {keyParameter}",
            [new(keyParameter, term.Key)]);
        return (join, $"{ValueOf(term.Entity, alias)} {direction} NULLS LAST");
    }

    private static string ClauseSql(FilterClause clause, int index, string runAlias, List<KeyValuePair<string, object?>> parameters)
    {
        if (clause.Entity == EntityKind.Attribute)
        {
            var attribute = RunAttributes.Get(clause.Key);
            CheckValue(clause, attribute.IsNumeric);
            return Comparison(attribute.FilterSql(runAlias), clause, parameters, integral: true, indexedPrefix: false);
        }
        CheckValue(clause, numeric: clause.Entity == EntityKind.Metric);
        var alias = clause.Entity switch
        {
            EntityKind.Metric => "m",
            EntityKind.Param => "p",
            _ => "t",
        } + index;
        var key = Add(parameters, clause.Key);
        var comparison = Comparison(ValueOf(clause.Entity, alias), clause, parameters, integral: false,
            indexedPrefix: clause.Entity != EntityKind.Metric);
        return $"EXISTS (SELECT 1 FROM {TableOf(clause.Entity)} {alias} WHERE {alias}.run_id = {runAlias}.run_id AND {alias}.key = {key} AND {comparison})";
    }

    private static string Comparison(string column, FilterClause clause, List<KeyValuePair<string, object?>> parameters, bool integral, bool indexedPrefix)
    {
        switch (clause.Op)
        {
            case ComparisonOperator.Like:
                return $"{column} LIKE {Add(parameters, ((StringValue)clause.Value).Value)} ESCAPE ''";
            case ComparisonOperator.ILike:
                return $"{column} ILIKE {Add(parameters, ((StringValue)clause.Value).Value)} ESCAPE ''";
            case ComparisonOperator.In:
            case ComparisonOperator.NotIn:
                var names = ((StringListValue)clause.Value).Values.Select(v => Add(parameters, v));
                var keyword = clause.Op == ComparisonOperator.In ? "IN" : "NOT IN";
                return $"{column} {keyword} ({string.Join(", ", names)})";
            case ComparisonOperator.Equal when indexedPrefix:
                var value = Add(parameters, ComparisonValue(clause, integral));
                return $"left({column}, {IndexedValuePrefix}) = left({value}, {IndexedValuePrefix}) AND {column} = {value}";
            default:
                return $"{column} {FilterParser.Symbol(clause.Op)} {Add(parameters, ComparisonValue(clause, integral))}";
        }
    }

    private static string TableOf(EntityKind entity) => entity switch
    {
        EntityKind.Metric => "metric_latest",
        EntityKind.Param => "params",
        EntityKind.Tag => "tags",
        _ => throw new ArgumentOutOfRangeException(nameof(entity), entity, null),
    };

    private static string ValueOf(EntityKind entity, string alias) =>
        entity == EntityKind.Metric ? $"NULLIF({alias}.value, 'NaN')" : $"{alias}.value";

    private static string Add(List<KeyValuePair<string, object?>> parameters, object value)
    {
        var name = "@f" + parameters.Count;
        parameters.Add(new(name, value));
        return name;
    }
}
