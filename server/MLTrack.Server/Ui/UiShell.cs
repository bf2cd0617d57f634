using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace MLTrack.Server.Ui;

/// <summary>
/// Fills <c>webviews/shell.html</c> (the one page template the VS Code extension also uses): <c>{{cspSource}}</c>,
/// <c>{{nonce}}</c>, <c>{{connectSrc}}</c>, <c>{{base}}</c>, <c>{{panel}}</c>, <c>{{argsJson}}</c>,
/// <c>{{rpcUrl}}</c>, <c>{{title}}</c>; every value HTML-escaped.
/// </summary>
public static class UiShell
{
    public const string FileName = "shell.html";

    /// <summary>What a browser page's CSP allows: its own origin, nothing else.</summary>
    public const string Self = "'self'";

    public static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));

    /// <summary>The Content-Security-Policy the shell's meta tag states, for the response header.</summary>
    public static string ContentSecurityPolicy(string cspSource, string nonce, string connectSrc) =>
        $"default-src 'none'; img-src {cspSource} data: blob:; style-src {cspSource}; script-src 'nonce-{nonce}'; connect-src {connectSrc}; font-src {cspSource};";

    public static string Fill(string template, IReadOnlyDictionary<string, string> values)
    {
        var sb = new StringBuilder(template.Length + 256);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0) break;
            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0) break;
            sb.Append(template, i, open - i);
            var name = template[(open + 2)..close].Trim();
            sb.Append(values.TryGetValue(name, out var v) ? WebUtility.HtmlEncode(v) : "");
            i = close + 2;
        }
        sb.Append(template, i, template.Length - i);
        return sb.ToString();
    }
}
