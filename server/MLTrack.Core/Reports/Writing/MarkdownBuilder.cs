using System.Text;
using MLTrack.Core.Reports.Charts;

namespace MLTrack.Core.Reports.Writing;

/// <summary>
/// Builds a report's Markdown and collects the charts it shows. Text from the data (names, params, insight sentences)
/// goes through <see cref="Escape"/>, so it can never become markup; the builder's own markup is written as is.
/// </summary>
public sealed class MarkdownBuilder
{
    // Always markup somewhere; '(' ')' '!' are not listed: they only act next to '[' ']', which are.
    private const string Special = "\\`*_{}[]<>#|$~^&";
    // Markup only when doubled (==mark==, ++inserted++).
    private const string Doubled = "=+";
    private readonly StringBuilder _md = new();
    private readonly List<ChartSpec> _charts = [];

    public IReadOnlyList<ChartSpec> Charts => _charts;

    /// <summary>Backslash-escapes every character Markdown (with Markdig's extensions) could read as markup; line breaks become spaces.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\r' or '\n' or '\t') sb.Append(' ');
            else if (Special.Contains(c)) sb.Append('\\').Append(c);
            else if (Doubled.Contains(c) && ((i > 0 && text[i - 1] == c) || (i + 1 < text.Length && text[i + 1] == c))) sb.Append('\\').Append(c);
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Code span for identifiers (run ids, keys): backticks inside are not expected but are dropped to stay safe.</summary>
    public static string Code(string text) => "`" + text.Replace("`", "", StringComparison.Ordinal).Replace('\n', ' ') + "`";

    public static string Bold(string markdown) => "**" + markdown + "**";

    public static string Usd(double usd) => Escape(Numbers.Usd(usd));

    public MarkdownBuilder Heading(int level, string text)
    {
        _md.Append('#', level).Append(' ').Append(Escape(text)).Append("\n\n");
        return this;
    }

    /// <summary>A paragraph of ready Markdown.</summary>
    public MarkdownBuilder Paragraph(string markdown)
    {
        _md.Append(markdown.TrimEnd()).Append("\n\n");
        return this;
    }

    public MarkdownBuilder Bullets(IEnumerable<string> items)
    {
        var any = false;
        foreach (var item in items)
        {
            _md.Append("- ").Append(item).Append('\n');
            any = true;
        }
        if (any) _md.Append('\n');
        return this;
    }

    /// <summary>A pipe table of ready-Markdown cells; <paramref name="right"/> marks numeric columns (right-aligned).</summary>
    public MarkdownBuilder Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, IReadOnlyList<bool>? right = null)
    {
        _md.Append("| ").AppendJoin(" | ", headers).Append(" |\n|");
        for (var i = 0; i < headers.Count; i++) _md.Append(right is not null && i < right.Count && right[i] ? " ---: |" : " --- |");
        _md.Append('\n');
        foreach (var row in rows) _md.Append("| ").AppendJoin(" | ", row).Append(" |\n");
        _md.Append('\n');
        return this;
    }

    /// <summary>Shows a chart: an image link to charts/&lt;name&gt;.png that the HTML renderer swaps for the inline SVG.</summary>
    public MarkdownBuilder Chart(ChartSpec chart)
    {
        if (_charts.Any(c => c.Name == chart.Name)) throw new InvalidOperationException($"Two charts named '{chart.Name}'.");
        _charts.Add(chart);
        _md.Append("![").Append(Escape(chart.Title)).Append("](charts/").Append(chart.Name).Append(".png)\n\n");
        return this;
    }

    public override string ToString() => _md.ToString().TrimEnd() + "\n";
}
