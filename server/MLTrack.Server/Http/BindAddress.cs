using System.Globalization;
using System.Net;

namespace MLTrack.Server.Http;

/// <summary>Where to listen: an IP address and a port (0 = any free port), parsed from "127.0.0.1:PORT", "localhost:PORT", "[::1]:PORT", "0.0.0.0:PORT" or a bare port.</summary>
public sealed record BindAddress(IPAddress Address, int Port)
{
    public static readonly BindAddress LoopbackAnyPort = new(IPAddress.Loopback, 0);

    public bool IsLoopback => IPAddress.IsLoopback(Address);

    public static BindAddress Parse(string text)
    {
        var s = text.Trim();
        if (s.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) s = s["http://".Length..].TrimEnd('/');
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var bare)) return Checked(new BindAddress(IPAddress.Loopback, bare), text);
        var colon = s.LastIndexOf(':');
        var closeBracket = s.LastIndexOf(']');
        string host = s, port = "0";
        if (colon > 0 && colon > closeBracket && (closeBracket >= 0 || s.IndexOf(':') == colon))
        {
            host = s[..colon];
            port = s[(colon + 1)..];
        }
        host = host.Trim('[', ']');
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var p))
            throw new FormatException($"Invalid port in '{text}'.");
        var address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var ip) ? ip
            : throw new FormatException($"Invalid address '{text}': give an IP address and port such as 127.0.0.1:5000.");
        return Checked(new BindAddress(address, p), text);
    }

    private static BindAddress Checked(BindAddress a, string text) =>
        a.Port is >= 0 and <= 65535 ? a : throw new FormatException($"Invalid port in '{text}': it must be between 0 and 65535.");

    public override string ToString() => new IPEndPoint(Address, Port).ToString();
}
