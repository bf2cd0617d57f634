using System.Security.Cryptography;
using System.Text;

namespace MLTrack.Core.Accounts;

/// <summary>
/// Access-token secrets: 32 random bytes, base64url, behind a prefix that says what they are (secret scanners and
/// people recognise <c>mlt_</c>). Only <see cref="Hash"/> is stored; a lookup by hash needs no comparison of secrets.
/// </summary>
public static class TokenSecrets
{
    public const string PersonalPrefix = "mlt_";
    public const string RunPrefix = "mltr_";
    /// <summary>A browser session's secret (the cookie's value).</summary>
    public const string SessionPrefix = "mlts_";
    /// <summary>A one-time email sign-in code (in the mailed link).</summary>
    public const string SignInCodePrefix = "mltc_";

    public static string Generate(TokenKind kind) => Generate(kind == TokenKind.Run ? RunPrefix : PersonalPrefix);

    /// <summary>32 random bytes, base64url, behind <paramref name="prefix"/>.</summary>
    public static string Generate(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>True when the text has the shape of a secret made with <paramref name="prefix"/> (anything else is not looked up).</summary>
    public static bool HasShape(string text, string prefix) => text.StartsWith(prefix, StringComparison.Ordinal) && text.Length <= 100;

    /// <summary>Lowercase hex SHA-256 of the secret as sent.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>True when the text has the shape of one of these secrets (anything else is not looked up).</summary>
    public static bool LooksLikeToken(string text) =>
        (text.StartsWith(PersonalPrefix, StringComparison.Ordinal) || text.StartsWith(RunPrefix, StringComparison.Ordinal)) && text.Length <= 100;
}
