using Microsoft.Extensions.Primitives;

namespace MLTrack.Server.Http.Auth;

/// <summary>The secret of one <c>Authorization: Bearer &lt;secret&gt;</c> header (the scheme case-insensitive), or null.</summary>
public static class BearerSecret
{
    public static string? From(StringValues header)
    {
        if (header.Count != 1 || header[0] is not { } value) return null;
        var v = value.Trim();
        if (v.Length <= 7 || !v.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var secret = v[7..].Trim();
        return secret.Length is > 0 and <= 4096 ? secret : null;
    }
}
