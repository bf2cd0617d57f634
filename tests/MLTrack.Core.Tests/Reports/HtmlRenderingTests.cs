using System.Xml.Linq;
using MLTrack.Core.Reports;

namespace MLTrack.Core.Tests.Reports;

public sealed class HtmlRenderingTests : IDisposable
{
    private readonly ReportFixture _f = new();

    public void Dispose() => _f.Dispose();

    private static XDocument ParseAfterDoctype(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>\n", html);
        return XDocument.Parse(html["<!DOCTYPE html>\n".Length..]);
    }

    private void Seed()
    {
        // names full of Markdown and HTML specials must come out as text (keys may hold only MLflow's characters, '_' among them)
        var e = _f.Experiment("a <b> & [c](d) *e* | f $1 ==g==");
        for (var i = 0; i < 5; i++)
            _f.Run(e, ReportFixture.Jan1.AddDays(i), name: $"<run {i}>", parameters: Metric.Params(("k_ey_", $"v|{i}*")),
                metrics: Metric.Of(("acc", [0.5 + i / 10.0]), ("loss", [1, 0.5, 0.2])));
    }

    [Theory]
    [InlineData(ReportType.Executive)]
    [InlineData(ReportType.Technical)]
    [InlineData(ReportType.Cost)]
    public void Every_report_type_is_well_formed_xml_after_the_doctype(ReportType type)
    {
        Seed();
        var doc = ParseAfterDoctype(_f.Generate(_f.January(type)).Html);
        Assert.Equal("html", doc.Root!.Name.LocalName);
        Assert.NotNull(doc.Root.Element("head")!.Element("style"));
    }

    [Fact]
    public void Charts_are_inline_svg_and_no_image_points_at_a_file()
    {
        Seed();
        var report = _f.Generate(_f.January(ReportType.Technical));
        var doc = ParseAfterDoctype(report.Html);
        XNamespace svg = "http://www.w3.org/2000/svg";
        Assert.Equal(report.Charts.Count, doc.Descendants(svg + "svg").Count());
        Assert.Empty(doc.Descendants("img"));
        Assert.True(report.Charts.Count >= 3);
    }

    [Fact]
    public void Names_from_the_data_appear_as_text_not_markup()
    {
        Seed();
        var report = _f.Generate(_f.January(ReportType.Technical));
        var doc = ParseAfterDoctype(report.Html);
        var text = doc.Root!.Element("body")!.Value;
        Assert.Contains("Experiment a <b> & [c](d) *e* | f $1 ==g==", text);
        Assert.DoesNotContain(doc.Descendants(), e => e.Name.LocalName is "b" or "a" or "em" or "mark" or "math");
        Assert.Contains("<title>Technical report: all experiments, 2025-01-01 to 2025-01-31</title>", report.Html);
    }

    [Fact]
    public void Tables_render_as_html_tables()
    {
        Seed();
        var doc = ParseAfterDoctype(_f.Generate(_f.January(ReportType.Executive)).Html);
        var headline = doc.Descendants("table").First();
        Assert.Equal(["Measure", "This range", "Previous range", "Change"], headline.Descendants("th").Select(t => t.Value));
    }
}
