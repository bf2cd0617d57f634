namespace MLTrack.Core.Search;

/// <summary>The constant on the right-hand side of a filter clause: a <see cref="NumberValue"/>,
/// a <see cref="StringValue"/> or, for <c>IN</c> and <c>NOT IN</c>, a <see cref="StringListValue"/>.</summary>
public abstract record FilterValue
{
    private protected FilterValue()
    {
    }
}
