using MLTrack.Core.Search;
using static MLTrack.Core.Storage.RunFilterRules;

namespace MLTrack.Core.Storage.Sqlite;

/// <summary>
/// Turns parsed filters and sort terms into SQLite SQL over the <c>runs</c> table. Every key and value becomes a
/// parameter; the only text spliced into the SQL is the caller's run alias, which must be a plain identifier.
/// Assumes <c>PRAGMA case_sensitive_like = ON</c> so that LIKE is case-sensitive as in MLflow.
/// </summary>
public static class SqliteRunFilter
{
    /// <summary>
    /// A boolean expression selecting the runs that match every clause, or <c>1=1</c> when there are none.
    /// Parameters are named <c>@f0</c>, <c>@f1</c>, ... A run lacking a metric, param or tag never matches a clause on it, even <c>!=</c>.
    /// </summary>
    public static SqlFragment Where(FilterExpression filter, string runAlias = "r")
    {
        ArgumentNullException.ThrowIfNull(filter);
        CheckAlias(runAlias);
        if (filter.IsEmpty)
        {
            return new SqlFragment("1=1", []);
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
    /// the ORDER BY expressions. Parameters are named <c>@o{index}_key</c>; the joined table is aliased <c>ob{index}</c>.
    /// Runs without the value, and NaN metrics (stored as NULL), sort last in both directions.
    /// </summary>
    public static (SqlFragment Join, string OrderSql) OrderBy(OrderTerm term, int index, string runAlias = "r")
    {
        ArgumentNullException.ThrowIfNull(term);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        CheckAlias(runAlias);
        var direction = term.Descending ? "DESC" : "ASC";
        if (term.Entity == EntityKind.Attribute)
        {
            var column = RunAttributes.Get(term.Key).OrderSql(runAlias);
            return (SqlFragment.Empty, $"{column} IS NULL, {column} {direction}");
        }
        var (table, valueColumn) = TableOf(term.Entity);
        var alias = $"ob{index}";
        var keyParameter = $"@o{index}_key";
        var join = new SqlFragment(
            $"LEFT JOIN {table} {alias} ON {alias}.run_rowid = {runAlias}.run_rowid AND {alias}.key = {keyParameter}",
            [new(keyParameter, term.Key)]);
        var value = $"{alias}.{valueColumn}";
        return (join, $"{value} IS NULL, {value} {direction}");
    }

    private static string ClauseSql(FilterClause clause, int index, string runAlias, List<KeyValuePair<string, object?>> parameters)
    {
        if (clause.Entity == EntityKind.Attribute)
        {
            var attribute = RunAttributes.Get(clause.Key);
            CheckValue(clause, attribute.IsNumeric);
            return Comparison(attribute.FilterSql(runAlias), clause, parameters, integral: true);
        }
        CheckValue(clause, numeric: clause.Entity == EntityKind.Metric);
        var (table, valueColumn) = TableOf(clause.Entity);
        var alias = clause.Entity switch
        {
            EntityKind.Metric => "m",
            EntityKind.Param => "p",
            _ => "t",
        } + index;
        var key = Add(parameters, clause.Key);
        var comparison = Comparison($"{alias}.{valueColumn}", clause, parameters, integral: false);
        return $"EXISTS (SELECT 1 FROM {table} {alias} WHERE {alias}.run_rowid = {runAlias}.run_rowid AND {alias}.key = {key} AND {comparison})";
    }

    private static string Comparison(string column, FilterClause clause, List<KeyValuePair<string, object?>> parameters, bool integral)
    {
        switch (clause.Op)
        {
            case ComparisonOperator.Like:
                return $"{column} LIKE {Add(parameters, ((StringValue)clause.Value).Value)}";
            case ComparisonOperator.ILike:
                return $"lower({column}) LIKE lower({Add(parameters, ((StringValue)clause.Value).Value)})";
            case ComparisonOperator.In:
            case ComparisonOperator.NotIn:
                var names = ((StringListValue)clause.Value).Values.Select(v => Add(parameters, v));
                var keyword = clause.Op == ComparisonOperator.In ? "IN" : "NOT IN";
                return $"{column} {keyword} ({string.Join(", ", names)})";
            default:
                return $"{column} {FilterParser.Symbol(clause.Op)} {Add(parameters, ComparisonValue(clause, integral))}";
        }
    }

    private static (string Table, string ValueColumn) TableOf(EntityKind entity) => entity switch
    {
        EntityKind.Metric => ("metric_series", "last_value"),
        EntityKind.Param => ("params", "value"),
        EntityKind.Tag => ("tags", "value"),
        _ => throw new ArgumentOutOfRangeException(nameof(entity), entity, null),
    };

    private static string Add(List<KeyValuePair<string, object?>> parameters, object value)
    {
        var name = "@f" + parameters.Count;
        parameters.Add(new(name, value));
        return name;
    }
}
