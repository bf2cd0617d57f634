using System.Buffers;
using System.Globalization;
using System.Text;

namespace MLTrack.Core.Names;

/// <summary>
/// The one rule for the keys and names MLTrack stores, applied by every path that accepts them (REST, RPC, the launcher's
/// <c>--param</c> and output parser, the store itself), so a name can never spoof another in a table.
/// <para>
/// Metric, param and tag keys follow MLflow (mlflow/utils/validation.py): at most 250 characters of letters and digits
/// (any script), underscores, dashes, periods, spaces, colons and slashes; and, read as a file path, the key must be
/// itself (no leading <c>/</c> or <c>..</c>, no trailing <c>/</c>, no <c>//</c>, <c>.</c> or <c>..</c> segments).
/// </para>
/// <para>
/// Experiment and run names are free text, but without controls (newline, tab, …), format characters (U+200B zero-width
/// space, U+202E right-to-left override, …), line or paragraph separators, or unpaired surrogates.
/// </para>
/// Positions in messages are 0-based and count characters (code points), as filter errors do.
/// </summary>
public static class NameRules
{
    /// <summary>MLflow's limit on metric, param and tag key length.</summary>
    public const int MaxKeyLength = 250;

    public const string AllowedKeyCharacters =
        "letters, digits, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/)";

    /// <summary>Null when <paramref name="key"/> is a valid metric, param or tag key; else why not (the character and its position).</summary>
    public static string? KeyProblem(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0) return "it must not be empty";
        var position = 0;
        for (var i = 0; i < key.Length; position++)
        {
            if (Rune.DecodeFromUtf16(key.AsSpan(i), out var rune, out var used) != OperationStatus.Done)
                return $"{CharacterNames.Describe(key[i])} at position {position} is not allowed: keys may only contain {AllowedKeyCharacters}";
            if (!IsKeyCharacter(rune))
                return $"{CharacterNames.Describe(rune.Value)} at position {position} is not allowed: keys may only contain {AllowedKeyCharacters}";
            i += used;
        }
        if (position > MaxKeyLength) return $"it had length {position}, which exceeded the length limit of {MaxKeyLength}";
        // Without a slash only "." and names starting with ".." resolve elsewhere; skip the allocation on the hot path.
        var normalized = key.Contains('/') ? NormalizePath(key) : key;
        if (normalized != key || normalized == "." || normalized.StartsWith("..", StringComparison.Ordinal) || normalized.StartsWith('/'))
            return $"keys may be used as file paths and must not resolve to another name; this one would resolve to '{normalized}'";
        return null;
    }

    /// <summary>Null when <paramref name="name"/> is a valid experiment or run name; else the invisible character and its position.</summary>
    public static string? NameProblem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var position = 0;
        for (var i = 0; i < name.Length; position++)
        {
            if (Rune.DecodeFromUtf16(name.AsSpan(i), out var rune, out var used) != OperationStatus.Done)
                return $"{CharacterNames.Describe(name[i])} at position {position} is not allowed";
            if (IsRefusedInName(name, i, rune, used))
                return $"{CharacterNames.Describe(rune.Value)} at position {position} is not allowed: names must not contain control or invisible characters";
            i += used;
        }
        return null;
    }

    /// <summary>
    /// Invisible characters are refused in names, except a zero-width joiner or non-joiner between two visible
    /// characters: Persian and Indic words and emoji sequences need them there, and there they cannot hide an edge.
    /// </summary>
    private static bool IsRefusedInName(string name, int at, Rune rune, int used)
    {
        if (!CharacterNames.IsInvisible(Rune.GetUnicodeCategory(rune))) return false;
        if (rune.Value is not (0x200C or 0x200D)) return true;
        return !(at > 0 && IsVisible(name[at - 1]) && at + used < name.Length && IsVisible(name[at + used]));
    }

    private static bool IsVisible(char c) =>
        !char.IsWhiteSpace(c) && (char.IsSurrogate(c) || !CharacterNames.IsInvisible(char.GetUnicodeCategory(c)));

    /// <summary>Returns <paramref name="key"/> when valid.</summary>
    /// <param name="entity">What the key belongs to, for the message: "metric", "param" or "tag".</param>
    /// <exception cref="InvalidNameException">Null, empty or against the rule.</exception>
    public static string CheckKey(string? key, string entity)
    {
        if (key is null) throw new InvalidNameException($"{Capitalize(entity)} key is missing.", $"{entity} key");
        return KeyProblem(key) is { } problem
            ? throw new InvalidNameException($"Invalid {entity} key '{CharacterNames.Printable(key)}': {problem}.", $"{entity} key")
            : key;
    }

    /// <summary>Returns <paramref name="name"/> when valid (null stays null: "no name").</summary>
    /// <param name="what">"experiment name" or "run name", for the message.</param>
    /// <exception cref="InvalidNameException">It holds a control or invisible character.</exception>
    public static string? CheckName(string? name, string what) =>
        name is not null && NameProblem(name) is { } problem
            ? throw new InvalidNameException($"Invalid {what} '{CharacterNames.Printable(name)}': {problem}.", what)
            : name;

    /// <summary><paramref name="name"/> with each character <see cref="NameProblem"/> refuses replaced by '?', for names MLTrack derives itself (a script's file name).</summary>
    public static string ReplaceInvisible(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (NameProblem(name) is null) return name;
        var sb = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length;)
        {
            if (Rune.DecodeFromUtf16(name.AsSpan(i), out var rune, out var used) != OperationStatus.Done || IsRefusedInName(name, i, rune, used))
                sb.Append('?');
            else
                sb.Append(rune.ToString());
            i += Math.Max(used, 1);
        }
        return sb.ToString();
    }

    /// <summary><paramref name="text"/> for quoting in a message, its invisible characters escaped (<c>\n</c>, <c>\u202E</c>).</summary>
    public static string Printable(string text, int max = 60) => CharacterNames.Printable(text, max);

    /// <summary>As Python's <c>\w</c> (letters and digits of any script, underscore) plus <c>- . space : /</c>.</summary>
    private static bool IsKeyCharacter(Rune rune) =>
        rune.Value is '_' or '-' or '.' or ' ' or ':' or '/' || Rune.IsLetter(rune) || Rune.IsNumber(rune);

    /// <summary>POSIX path normalisation as Python's <c>posixpath.normpath</c>: drops empty and '.' segments, folds '..'.</summary>
    private static string NormalizePath(string path)
    {
        var slashes = path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("///", StringComparison.Ordinal) ? 2
            : path.StartsWith('/') ? 1 : 0;
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part != ".." || (slashes == 0 && parts.Count == 0) || (parts.Count > 0 && parts[^1] == ".."))
                parts.Add(part);
            else if (parts.Count > 0)
                parts.RemoveAt(parts.Count - 1);
        }
        var joined = new string('/', slashes) + string.Join('/', parts);
        return joined.Length == 0 ? "." : joined;
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
