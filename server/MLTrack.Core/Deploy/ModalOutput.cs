using System.Text.RegularExpressions;

namespace MLTrack.Core.Deploy;

/// <summary>Reads what <c>modal deploy</c> prints: the stage a line announces, the web endpoint URL, and a short error
/// message out of a failure's output (rich boxes and colours stripped).</summary>
internal static partial class ModalOutput
{
    /// <summary>Removes ANSI escapes and rich's box-drawing frame from a line and trims it.</summary>
    public static string Clean(string line) => Frame().Replace(Ansi().Replace(line, ""), " ").Trim();

    /// <summary>True for lines that mean the image is built and objects are being created.</summary>
    public static bool AnnouncesDeploying(string line) =>
        line.Contains("Built image", StringComparison.OrdinalIgnoreCase) || line.Contains("Creating objects", StringComparison.OrdinalIgnoreCase)
        || line.Contains("Created objects", StringComparison.OrdinalIgnoreCase) || line.Contains("Created web function", StringComparison.OrdinalIgnoreCase)
        || line.Contains("Created function", StringComparison.OrdinalIgnoreCase);

    /// <summary>The <c>https://….modal.run</c> endpoint in a line, if any (dashboard links on modal.com are not endpoints).</summary>
    public static string? EndpointUrl(string line) => Endpoint().Match(line) is { Success: true } m ? m.Value.TrimEnd('.', ',', ')', ';') : null;

    /// <summary>The tool's own words for a failure: from the first line mentioning an error, else the last lines.</summary>
    public static string ErrorMessage(IReadOnlyList<string> lines, int exitCode)
    {
        var clean = lines.Select(Clean).Where(l => l.Length > 0).ToList();
        var first = clean.FindIndex(l => ErrorWord().IsMatch(l));
        var picked = (first >= 0 ? clean.Skip(first).Take(5) : clean.TakeLast(3))
            .Where(l => l.TrimEnd(':') is not ("Error" or "ERROR")) // a rich error box's title: the message follows it
            .Take(4);
        var text = string.Join(" ", picked);
        if (text.Length > 1000) text = text[..1000] + "…";
        if (text.Length == 0) text = $"modal exited with code {exitCode} and printed nothing";
        if (text.Contains("token", StringComparison.OrdinalIgnoreCase) && AuthWord().IsMatch(text))
            text += " — log in with `modal token new`, or set MODAL_TOKEN_ID and MODAL_TOKEN_SECRET.";
        return text;
    }

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"[│╭╮╰╯─┃┏┓┗┛━]+")]
    private static partial Regex Frame();

    [GeneratedRegex(@"https://[A-Za-z0-9][A-Za-z0-9.-]*\.modal\.run(?:/[^\s""'<>]*)?")]
    private static partial Regex Endpoint();

    [GeneratedRegex(@"\b(error|exception|failed|traceback)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ErrorWord();

    [GeneratedRegex(@"missing|invalid|not valid|malformed|authenticat|unauthori[sz]ed|expired", RegexOptions.IgnoreCase)]
    private static partial Regex AuthWord();
}
