namespace MLTrack.Core.Search;

/// <summary>A numeric literal such as <c>0.9</c>, <c>-3</c> or <c>1e-4</c>; always finite.</summary>
public sealed record NumberValue(double Value) : FilterValue
{
    public override string ToString() => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
