namespace MLTrack.Core.Git;

/// <summary>Helpers for git remote URLs.</summary>
public static class RemoteUrl
{
    // Schemes whose user name is typically a credential (a token, an account name paired with a token):
    // for these the whole user-info part is removed, not just the password.
    private static readonly string[] UserIsCredentialSchemes = ["http", "https", "ftp", "ftps"];

    /// <summary>
    /// Removes credentials from a remote URL so it can be stored with a run.
    /// <list type="bullet">
    /// <item><c>https://user:token@host/x.git</c> → <c>https://host/x.git</c> (http, https, ftp, ftps: user and password removed).</item>
    /// <item><c>ssh://git:pw@host/x.git</c> → <c>ssh://git@host/x.git</c> (other URL schemes: the user is kept, any password removed).</item>
    /// <item>scp-like <c>git@github.com:x/y.git</c> and local paths are returned unchanged (they cannot carry a password).</item>
    /// </list>
    /// Everything else in the URL is kept byte for byte (no normalisation).
    /// </summary>
    public static string? StripCredentials(string? url)
    {
        if (string.IsNullOrEmpty(url))
            return url;

        int schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0 || !IsScheme(url.AsSpan(0, schemeEnd)))
            return url; // scp-like syntax or a local path

        int authorityStart = schemeEnd + 3;
        int authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
            authorityEnd = url.Length;

        // The user info ends at the LAST '@' of the authority: an unencoded '@' inside a password must not leak.
        int at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        if (at < 0)
            return url;

        string scheme = url[..schemeEnd];
        string userInfo = url[authorityStart..at];
        string rest = url[(at + 1)..];

        if (UserIsCredentialSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase))
            return url[..authorityStart] + rest;

        int colon = userInfo.IndexOf(':');
        string user = colon < 0 ? userInfo : userInfo[..colon];
        return user.Length == 0
            ? url[..authorityStart] + rest
            : url[..authorityStart] + user + "@" + rest;
    }

    private static bool IsScheme(ReadOnlySpan<char> s)
    {
        // RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
        if (!char.IsAsciiLetter(s[0]))
            return false;
        foreach (char c in s)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '-' && c != '.')
                return false;
        }
        return true;
    }
}
