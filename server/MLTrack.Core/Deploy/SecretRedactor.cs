using System.Text.RegularExpressions;

namespace MLTrack.Core.Deploy;

/// <summary>Blanks known secret values (tokens, keys) and the signature part of presigned URLs out of tool output
/// before it is logged or shown.</summary>
internal sealed partial class SecretRedactor(IEnumerable<string?> secrets)
{
    public const string Mask = "***";
    private readonly string[] _secrets = secrets.Where(s => s is { Length: >= 4 }).Select(s => s!).Distinct().OrderByDescending(s => s.Length).ToArray();

    /// <summary>Secret values of the usual credential variables in <paramref name="environment"/>.</summary>
    public static IEnumerable<string?> FromEnvironment(IDictionary<string, string?> environment) =>
        environment.Where(kv => IsSecretName(kv.Key)).Select(kv => kv.Value);

    public static bool IsSecretName(string name) =>
        name.Contains("TOKEN", StringComparison.OrdinalIgnoreCase) || name.Contains("SECRET", StringComparison.OrdinalIgnoreCase)
        || name.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || name.EndsWith("_KEY", StringComparison.OrdinalIgnoreCase)
        || name == "MLTRACK_MODEL_URL";

    public string Redact(string text)
    {
        foreach (var s in _secrets) text = text.Replace(s, Mask, StringComparison.Ordinal);
        return SignedQuery().Replace(text, "?" + Mask);
    }

    // the query of a presigned URL (X-Amz-Signature, Signature=...) grants access: drop all of it
    [GeneratedRegex(@"\?[^\s""']*(?:X-Amz-Signature|Signature=|X-Amz-Credential)[^\s""']*", RegexOptions.IgnoreCase)]
    private static partial Regex SignedQuery();
}
