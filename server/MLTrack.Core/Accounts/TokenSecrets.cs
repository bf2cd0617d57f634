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

    public static string Generate(TokenKind kind) =>
        (kind == TokenKind.Run ? RunPrefix : PersonalPrefix) + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Lowercase hex SHA-256 of the secret as sent.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>True when the text has the shape of one of these secrets (anything else is not looked up).</summary>
    public static bool LooksLikeToken(string text) =>
        (text.StartsWith(PersonalPrefix, StringComparison.Ordinal) || text.StartsWith(RunPrefix, StringComparison.Ordinal)) && text.Length <= 100;
}
