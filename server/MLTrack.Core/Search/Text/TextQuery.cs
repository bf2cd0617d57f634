using System.Globalization;
using System.Text;

namespace MLTrack.Core.Search.Text;

/// <summary>
/// Turns what a user typed into FTS5 queries. Words are split like the index's <c>unicode61</c> tokenizer does
/// (letters and digits; <c>val_loss</c> is "val" and "loss"), lower-cased, and each becomes a prefix term, all of
/// which must match. The typo-tolerant form also accepts, per word, index terms one edit away (as a whole word or
/// as the start of a longer one).
/// </summary>
public static class TextQuery
{
    public const int MaxTokens = 8;
    public const int MaxTokenLength = 64;
    /// <summary>Words shorter than this get no typo tolerance (too many neighbours to mean anything).</summary>
    public const int MinFuzzyLength = 3;

    public static IReadOnlyList<string> Tokenize(string? text)
    {
        var tokens = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) return tokens;
        var normalized = RemoveDiacritics(text);
        var current = new StringBuilder();
        foreach (var ch in normalized)
        {
            if (char.IsLetterOrDigit(ch))
            {
                if (current.Length < MaxTokenLength) current.Append(char.ToLowerInvariant(ch));
            }
            else Flush();
        }
        Flush();
        return tokens;

        void Flush()
        {
            if (current.Length > 0 && tokens.Count < MaxTokens && !tokens.Contains(current.ToString())) tokens.Add(current.ToString());
            current.Clear();
        }
    }

    /// <summary>All words as prefixes: <c>"val"* AND "lo"*</c>.</summary>
    public static string PrefixQuery(IReadOnlyList<string> tokens) => string.Join(" AND ", tokens.Select(t => Quote(t) + "*"));

    /// <summary>
    /// Each word as a prefix or one of its near neighbours: <c>("accurcy"* OR "accuracy"*) AND "val"*</c>
    /// (FTS5 allows no implicit AND after a parenthesised group, so the AND is explicit).
    /// </summary>
    public static string FuzzyQuery(IReadOnlyList<string> tokens, IReadOnlyDictionary<string, IReadOnlyList<string>> neighbours) =>
        string.Join(" AND ", tokens.Select(t =>
            neighbours.TryGetValue(t, out var near) && near.Count > 0
                ? "(" + string.Join(" OR ", new[] { Quote(t) + "*" }.Concat(near.Select(n => Quote(n) + "*"))) + ")"
                : Quote(t) + "*"));

    /// <summary>
    /// True when <paramref name="term"/> is within one edit (insert, delete, substitute, swap of neighbours) of
    /// <paramref name="word"/>, or begins with something that is (the user has typed part of a longer word).
    /// </summary>
    public static bool IsNear(string word, string term)
    {
        if (term == word || term.StartsWith(word, StringComparison.Ordinal)) return false; // already an exact prefix match
        if (WithinOneEdit(word, term)) return true;
        if (word.Length < 4 || term.Length <= word.Length) return false;
        // Typo inside a prefix: compare with the term's beginning of the same length, one longer and one shorter.
        for (int len = word.Length - 1; len <= word.Length + 1; len++)
            if (len > 0 && len < term.Length && WithinOneEdit(word, term[..len])) return true;
        return false;
    }

    public static bool WithinOneEdit(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 1) return false;
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        if (i == a.Length && i == b.Length) return true;
        if (a.Length == b.Length)
        {
            // substitution, or a swap of two neighbours
            if (a.AsSpan(i + 1).SequenceEqual(b.AsSpan(i + 1))) return true;
            return i + 1 < a.Length && a[i] == b[i + 1] && a[i + 1] == b[i] && a.AsSpan(i + 2).SequenceEqual(b.AsSpan(i + 2));
        }
        return a.Length > b.Length ? a.AsSpan(i + 1).SequenceEqual(b.AsSpan(i)) : a.AsSpan(i).SequenceEqual(b.AsSpan(i + 1));
    }

    private static string Quote(string token) => "\"" + token.Replace("\"", "\"\"") + "\"";

    private static string RemoveDiacritics(string text)
    {
        if (text.All(char.IsAscii)) return text;
        string decomposed;
        try
        {
            decomposed = text.Normalize(NormalizationForm.FormD);
        }
        catch (PlatformNotSupportedException)
        {
            return text; // invariant globalization without normalization data: match as typed
        }
        var sb = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
            if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark) sb.Append(ch);
        return sb.ToString();
    }
}
