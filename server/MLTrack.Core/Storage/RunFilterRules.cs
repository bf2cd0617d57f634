using System.Text.RegularExpressions;
using MLTrack.Core.Search;

namespace MLTrack.Core.Storage;

/// <summary>What every store's filter compiler checks and binds the same way, whatever SQL it writes.</summary>
internal static partial class RunFilterRules
{
    /// <summary>Rejects hand-built clauses whose value does not fit the operator and entity, as the parser would.</summary>
    public static void CheckValue(FilterClause clause, bool numeric)
    {
        var ok = clause.Op switch
        {
            ComparisonOperator.In or ComparisonOperator.NotIn => !numeric && clause.Value is StringListValue,
            ComparisonOperator.Like or ComparisonOperator.ILike => !numeric && clause.Value is StringValue,
            ComparisonOperator.Equal or ComparisonOperator.NotEqual => numeric ? clause.Value is NumberValue : clause.Value is StringValue,
            _ => numeric && clause.Value is NumberValue,
        };
        if (!ok)
        {
            throw new ArgumentException(
                $"Operator {clause.Op} with value {clause.Value} does not apply to {clause.Entity} '{clause.Key}'.", nameof(clause));
        }
    }

    /// <summary>
    /// The value a comparison binds: the string, or the number — as an integer for integral columns when it is one,
    /// so that <c>start_time = 1700000000000</c> compares exactly.
    /// </summary>
    public static object ComparisonValue(FilterClause clause, bool integral) => clause.Value switch
    {
        StringValue s => s.Value,
        NumberValue n when integral && IsExactInteger(n.Value) => (long)n.Value,
        NumberValue n => n.Value,
        _ => throw new ArgumentException($"Clause on '{clause.Key}' has an unexpected value {clause.Value}.", nameof(clause)),
    };

    /// <summary>The caller's run alias is the only text spliced into the SQL: it must be a plain identifier.</summary>
    public static void CheckAlias(string runAlias)
    {
        ArgumentNullException.ThrowIfNull(runAlias);
        if (!AliasPattern().IsMatch(runAlias))
        {
            throw new ArgumentException($"'{runAlias}' is not a plain SQL identifier.", nameof(runAlias));
        }
    }

    private static bool IsExactInteger(double value) => Math.Floor(value) == value && Math.Abs(value) <= 9007199254740992d;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex AliasPattern();
}
