using System.Net;
using System.Text;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using MLTrack.Core.Reports.Charts;

namespace MLTrack.Core.Reports.Writing;

/// <summary>
/// Renders a report's Markdown as one self-contained, well-formed HTML document: Markdig (advanced extensions, for
/// tables), a small stylesheet in the head, and each chart's image link replaced by its SVG inline, so the file needs
/// nothing beside it. Light and dark schemes follow the viewer.
/// </summary>
public static class HtmlReportRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    private const string Style = """
        :root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa; --bg: #ffffff; }
        @media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --head: #151b23; --bg: #0d1117; } }
        body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
        main { max-width: 980px; margin: 0 auto; padding: 24px 28px 48px; }
        h1 { font-size: 1.6em; margin: 0 0 .4em; }
        h2 { font-size: 1.3em; margin: 1.6em 0 .5em; padding-bottom: .2em; border-bottom: 1px solid var(--line); }
        h3 { font-size: 1.05em; margin: 1.3em 0 .4em; }
        p, ul { margin: .5em 0 .9em; }
        table { border-collapse: collapse; margin: .5em 0 1em; font-variant-numeric: tabular-nums; }
        th, td { border: 1px solid var(--line); padding: 4px 10px; vertical-align: top; }
        th { background: var(--head); text-align: left; }
        code { font: .9em ui-monospace, "DejaVu Sans Mono", monospace; background: var(--head); padding: 0 .25em; border-radius: 3px; }
        svg { display: block; max-width: 100%; height: auto; margin: .5em 0; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
        """;

    public static string Render(string title, string markdown, IReadOnlyList<RenderedChart> charts)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var byPath = charts.ToDictionary(c => c.RelativePath, StringComparer.Ordinal);
        foreach (var image in document.Descendants<LinkInline>().Where(l => l.IsImage).ToList())
        {
            if (image.Url is { } url && byPath.TryGetValue(url, out var chart))
                image.ReplaceBy(new HtmlInline(chart.Svg.TrimEnd()), copyChildren: false);
        }
        var body = document.ToHtml(Pipeline);
        var html = new StringBuilder(body.Length + Style.Length + 400);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n")
            .Append("<meta name=\"generator\" content=\"MLTrack\" />\n")
            .Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n")
            .Append("<style>\n").Append(Style).Append("\n</style>\n</head>\n<body>\n<main>\n")
            .Append(body.TrimEnd())
            .Append("\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }
}
