namespace MLTrack.Core.Reports.Charts;

/// <summary>A chart drawn twice: PNG bytes (Markdown) and SVG markup without an XML declaration (inline in HTML).</summary>
public sealed record RenderedChart(string Name, string Title, byte[] Png, string Svg)
{
    /// <summary>Where the Markdown of a stored report links the PNG.</summary>
    public string RelativePath => $"charts/{Name}.png";
}
