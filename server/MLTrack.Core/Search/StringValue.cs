namespace MLTrack.Core.Search;

/// <summary>A quoted string literal, unescaped: <c>'a''b'</c> holds <c>a'b</c>.</summary>
public sealed record StringValue(string Value) : FilterValue
{
    public override string ToString() => "'" + Value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
