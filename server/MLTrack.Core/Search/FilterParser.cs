namespace MLTrack.Core.Search;

/// <summary>
/// Parses MLflow's run search syntax: comparisons joined by AND, e.g.
/// <c>metrics.acc &gt; 0.9 and params.model = 'cnn' and tags.`team name` IN ('a', 'b') and status = 'FINISHED'</c>.
/// </summary>
public static class FilterParser
{
    /// <summary>
    /// Most comparisons one filter may join with AND. Far above any hand-written search, far below SQLite's expression
    /// depth limit of 1000 (each clause nests a level deeper), so a huge filter is a clear 400, not a store failure.
    /// </summary>
    public const int MaxClauses = 100;

    /// <summary>Most values all of a filter's IN (…) lists may hold together; each is an SQL parameter.</summary>
    public const int MaxListValues = 1000;

    private const string NumericOperators = "=, !=, <, <=, > or >=";
    private const string StringOperators = "=, !=, LIKE, ILIKE, IN or NOT IN";

    /// <summary>Parses <paramref name="text"/>; null or blank gives an expression with no clauses.</summary>
    /// <exception cref="FilterSyntaxException">The text does not parse; the exception gives the offset.</exception>
    public static FilterExpression Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return FilterExpression.Empty;
        }
        var scanner = new FilterScanner(text, "filter");
        var clauses = new List<FilterClause>();
        var listValues = 0;
        while (true)
        {
            scanner.SkipWhitespace();
            if (clauses.Count == MaxClauses)
            {
                throw scanner.Error(scanner.Position,
                    $"a filter may join at most {MaxClauses} comparisons with AND; this one has more. Narrow the search with fewer, broader conditions");
            }
            clauses.Add(ParseClause(scanner, ref listValues));
            scanner.SkipWhitespace();
            if (scanner.AtEnd)
            {
                return new FilterExpression(clauses);
            }
            var position = scanner.Position;
            if (scanner.TryKeyword("AND"))
            {
                continue;
            }
            if (scanner.IsKeywordAt(position, "OR"))
            {
                throw scanner.Error(position, "OR is not supported; combine conditions with AND");
            }
            throw scanner.Error(position, $"expected AND or the end of the filter but found {scanner.Describe(position)}");
        }
    }

    private static FilterClause ParseClause(FilterScanner scanner, ref int listValues)
    {
        var identifier = scanner.ReadIdentifier();
        var numeric = IsNumeric(identifier);
        scanner.SkipWhitespace();
        var operatorPosition = scanner.Position;
        var op = ReadOperator(scanner);
        if (numeric && op is ComparisonOperator.Like or ComparisonOperator.ILike or ComparisonOperator.In or ComparisonOperator.NotIn)
        {
            throw scanner.Error(operatorPosition,
                $"operator '{Symbol(op)}' is not supported for {identifier.Display}; use {NumericOperators}");
        }
        if (!numeric && op is ComparisonOperator.LessThan or ComparisonOperator.LessThanOrEqual
            or ComparisonOperator.GreaterThan or ComparisonOperator.GreaterThanOrEqual)
        {
            throw scanner.Error(operatorPosition,
                $"operator '{Symbol(op)}' is not supported for {identifier.Display}; use {StringOperators}");
        }
        scanner.SkipWhitespace();
        FilterValue value = op is ComparisonOperator.In or ComparisonOperator.NotIn
            ? ReadList(scanner, identifier, ref listValues)
            : numeric ? ReadNumber(scanner, identifier) : ReadString(scanner, identifier);
        return new FilterClause(identifier.Entity, identifier.Key, op, value, identifier.Position);
    }

    private static bool IsNumeric(Identifier identifier) => identifier.Entity switch
    {
        EntityKind.Metric => true,
        EntityKind.Attribute => RunAttributes.Get(identifier.Key).IsNumeric,
        _ => false,
    };

    private static ComparisonOperator ReadOperator(FilterScanner scanner)
    {
        var start = scanner.Position;
        var text = scanner.Text;
        char Next(int offset) => start + offset < text.Length ? text[start + offset] : '\0';
        switch (Next(0))
        {
            case '=':
                scanner.Position = start + 1;
                return ComparisonOperator.Equal;
            case '!' when Next(1) == '=':
                scanner.Position = start + 2;
                return ComparisonOperator.NotEqual;
            case '<':
                scanner.Position = start + (Next(1) == '=' ? 2 : 1);
                return Next(1) == '=' ? ComparisonOperator.LessThanOrEqual : ComparisonOperator.LessThan;
            case '>':
                scanner.Position = start + (Next(1) == '=' ? 2 : 1);
                return Next(1) == '=' ? ComparisonOperator.GreaterThanOrEqual : ComparisonOperator.GreaterThan;
        }
        if (scanner.TryKeyword("LIKE"))
        {
            return ComparisonOperator.Like;
        }
        if (scanner.TryKeyword("ILIKE"))
        {
            return ComparisonOperator.ILike;
        }
        if (scanner.TryKeyword("IN"))
        {
            return ComparisonOperator.In;
        }
        if (scanner.TryKeyword("NOT"))
        {
            scanner.SkipWhitespace();
            var inPosition = scanner.Position;
            if (scanner.TryKeyword("IN"))
            {
                return ComparisonOperator.NotIn;
            }
            throw scanner.Error(inPosition, $"expected IN after NOT but found {scanner.Describe(inPosition)}");
        }
        throw scanner.Error(start, $"expected a comparison operator but found {scanner.Describe(start)}");
    }

    private static NumberValue ReadNumber(FilterScanner scanner, Identifier identifier)
    {
        var start = scanner.Position;
        if (scanner.TryReadNumber() is { } number)
        {
            return new NumberValue(number);
        }
        throw scanner.Error(start, $"expected a number for {identifier.Display} but found {scanner.Describe(start)}");
    }

    private static StringValue ReadString(FilterScanner scanner, Identifier identifier)
    {
        var start = scanner.Position;
        if (!scanner.AtEnd && scanner.Current is '\'' or '"')
        {
            return new StringValue(scanner.ReadQuoted());
        }
        if (scanner.AtEnd)
        {
            throw scanner.Error(start, $"expected a quoted string for {identifier.Display} but found end of filter");
        }
        throw scanner.Error(start,
            $"expected a quoted string for {identifier.Display} but found {scanner.Describe(start)}; quote the value, e.g. '0.01'");
    }

    private static StringListValue ReadList(FilterScanner scanner, Identifier identifier, ref int listValues)
    {
        if (scanner.AtEnd || scanner.Current != '(')
        {
            throw scanner.Error(scanner.Position, $"expected '(' to start the IN list but found {scanner.Describe(scanner.Position)}");
        }
        scanner.Position++;
        scanner.SkipWhitespace();
        if (!scanner.AtEnd && scanner.Current == ')')
        {
            throw scanner.Error(scanner.Position, "the IN list must not be empty");
        }
        var values = new List<string>();
        while (true)
        {
            scanner.SkipWhitespace();
            if (++listValues > MaxListValues)
            {
                throw scanner.Error(scanner.Position, $"the IN lists of a filter may hold at most {MaxListValues} values in all; this one has more");
            }
            values.Add(ReadString(scanner, identifier).Value);
            scanner.SkipWhitespace();
            if (!scanner.AtEnd && scanner.Current == ',')
            {
                scanner.Position++;
                continue;
            }
            if (!scanner.AtEnd && scanner.Current == ')')
            {
                scanner.Position++;
                return new StringListValue(values);
            }
            throw scanner.Error(scanner.Position, $"expected ',' or ')' in the IN list but found {scanner.Describe(scanner.Position)}");
        }
    }

    internal static string Symbol(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.LessThan => "<",
        ComparisonOperator.LessThanOrEqual => "<=",
        ComparisonOperator.GreaterThan => ">",
        ComparisonOperator.GreaterThanOrEqual => ">=",
        ComparisonOperator.Like => "LIKE",
        ComparisonOperator.ILike => "ILIKE",
        ComparisonOperator.In => "IN",
        ComparisonOperator.NotIn => "NOT IN",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
