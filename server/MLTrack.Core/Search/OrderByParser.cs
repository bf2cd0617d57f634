namespace MLTrack.Core.Search;

/// <summary>Parses one MLflow order_by term: an identifier and an optional ASC or DESC, e.g. <c>metrics.acc DESC</c>.</summary>
public static class OrderByParser
{
    /// <summary>Most order_by terms one search may give: each joins a table, and SQLite joins at most 64.</summary>
    public const int MaxTerms = 20;

    /// <exception cref="FilterSyntaxException">The term does not parse; the exception gives the offset.</exception>
    public static OrderTerm Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scanner = new FilterScanner(text, "order_by clause");
        scanner.SkipWhitespace();
        var identifier = scanner.ReadIdentifier();
        scanner.SkipWhitespace();
        var descending = false;
        if (!scanner.AtEnd)
        {
            var position = scanner.Position;
            if (scanner.TryKeyword("DESC"))
            {
                descending = true;
            }
            else if (!scanner.TryKeyword("ASC"))
            {
                throw scanner.Error(position, $"expected ASC, DESC or the end of the term but found {scanner.Describe(position)}");
            }
            scanner.SkipWhitespace();
            if (!scanner.AtEnd)
            {
                throw scanner.Error(scanner.Position, $"expected the end of the term but found {scanner.Describe(scanner.Position)}");
            }
        }
        return new OrderTerm(identifier.Entity, identifier.Key, descending);
    }
}
