using MLTrack.Core.Reports.Charts;
using SkiaSharp;

namespace MLTrack.Core.Tests.Reports;

public sealed class ChartRendererTests
{
    private static PeriodChart Chart(string title) => new("runs", title, "runs", ["2025-01", "2025-02", "2025-03"],
        [new ChartSeries("started", [10, 20, 15], Bars: true), new ChartSeries("failed", [1, 4, 2], Bars: true)]);

    /// <summary>
    /// Dark pixels in the band above the plot where the title goes, leaving out rows that are dark nearly end to end
    /// (the plot's frame, which moves up into the band when there is no title): what is left is glyphs.
    /// </summary>
    private static int GlyphPixelsInTitleBand(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        var glyphs = 0;
        for (var y = 0; y < 28; y++)
        {
            var dark = 0;
            for (var x = 250; x < 550; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red + c.Green + c.Blue < 3 * 128) dark++;
            }
            if (dark < 270) glyphs += dark;
        }
        return glyphs;
    }

    [Fact]
    public void Png_is_a_decodable_image_of_the_chart_size()
    {
        var chart = ChartRenderer.Render(Chart("Runs per month"));
        using var bitmap = SKBitmap.Decode(chart.Png);
        Assert.Equal(ChartRenderer.Width, bitmap.Width);
        Assert.Equal(ChartRenderer.Height, bitmap.Height);
    }

    [Fact]
    public void Text_is_drawn_the_title_band_has_glyphs_only_when_there_is_a_title()
    {
        // Without a usable font ScottPlot silently draws no text at all: both renderings would then look alike.
        var titled = GlyphPixelsInTitleBand(ChartRenderer.Render(Chart("Runs per month")).Png);
        var untitled = GlyphPixelsInTitleBand(ChartRenderer.Render(Chart("Runs per month"), withTitle: false).Png);
        Assert.True(titled > 150, $"only {titled} glyph pixels where the title should be");
        Assert.True(untitled < 20, $"{untitled} glyph pixels without a title");
    }

    [Fact]
    public void Svg_carries_the_title_as_text_in_the_configured_font()
    {
        var chart = ChartRenderer.Render(Chart("Runs per month"));
        Assert.StartsWith("<svg", chart.Svg);
        Assert.Contains("font-family=\"DejaVu Sans\"", chart.Svg);
        Assert.Contains("viewBox=\"0 0 800 320\"", chart.Svg);
        Assert.Contains("aria-label=\"Runs per month\"", chart.Svg);
    }

    [Fact]
    public void The_same_chart_renders_to_the_same_bytes_even_after_other_charts()
    {
        var first = ChartRenderer.Render(Chart("Runs per month"));
        ChartRenderer.Render(new LineChart("other", "Other", "step", "loss", [new XYSeries("a", [0, 1, 2], [3, 2, 1])]));
        var second = ChartRenderer.Render(Chart("Runs per month"));
        Assert.Equal(first.Png, second.Png);
        Assert.Equal(first.Svg, second.Svg);
        Assert.Contains("id=\"runs-clip0\"", first.Svg);
    }

    [Fact]
    public void Non_finite_points_are_left_out_of_a_line()
    {
        var chart = ChartRenderer.Render(new LineChart("loss", "Loss", "step", "loss",
            [new XYSeries("run", [0, 1, 2, 3], [1, 0.5, double.NaN, double.PositiveInfinity])]));
        Assert.True(chart.Png.Length > 1000);
    }
}
