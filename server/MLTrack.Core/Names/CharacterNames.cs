using System.Globalization;
using System.Text;

namespace MLTrack.Core.Names;

/// <summary>
/// How error messages show characters and text that may hold invisible ones: a character as <c>U+202E RIGHT-TO-LEFT
/// OVERRIDE</c> (or <c>'@' (U+0040)</c> when it is visible), text with its invisible characters escaped so that the
/// message itself cannot be spoofed by what it quotes.
/// </summary>
internal static partial class CharacterNames
{
    /// <summary>The code point as a message names it, e.g. <c>U+000A LINE FEED (newline)</c> or <c>'@' (U+0040)</c>.</summary>
    public static string Describe(int codePoint)
    {
        var code = $"U+{codePoint:X4}";
        if (Invisible.TryGetValue(codePoint, out var name)) return $"{code} {name}";
        if (codePoint is >= 0xE0020 and <= 0xE007F) return $"{code} TAG {(char)(codePoint - 0xE0000)} (invisible)";
        if (codePoint is >= 0xD800 and <= 0xDFFF) return $"{code} (an unpaired surrogate, not a character)";
        var category = CharUnicodeInfo.GetUnicodeCategory(codePoint);
        return category switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator => $"{code} (an invisible {Kind(category)})",
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => $"{code} (a combining mark)",
            UnicodeCategory.OtherNotAssigned => $"{code} (an unassigned code point)",
            UnicodeCategory.PrivateUse => $"{code} (a private-use character)",
            _ => $"'{char.ConvertFromUtf32(codePoint)}' ({code})",
        };
    }

    /// <summary>True for the characters that draw nothing or move text around: controls, format characters, line and paragraph separators.</summary>
    public static bool IsInvisible(UnicodeCategory category) => category is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate;

    /// <summary>
    /// <paramref name="text"/> for quoting in a message: controls, format characters, separators other than the space and
    /// unpaired surrogates written as <c>\n</c>, <c>\t</c>, <c>\r</c> or <c>\uXXXX</c>; cut after <paramref name="max"/> characters.
    /// </summary>
    public static string Printable(string text, int max = 60)
    {
        var sb = new StringBuilder();
        var count = 0;
        for (var i = 0; i < text.Length; count++)
        {
            if (count == max)
            {
                sb.Append('…');
                break;
            }
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != System.Buffers.OperationStatus.Done)
            {
                sb.Append($"\\u{(int)text[i]:X4}");
                i++;
                continue;
            }
            i += used;
            var category = Rune.GetUnicodeCategory(rune);
            if (rune.Value == ' ' || !(IsInvisible(category) || category == UnicodeCategory.SpaceSeparator))
            {
                sb.Append(rune.ToString());
                continue;
            }
            sb.Append(rune.Value switch
            {
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                <= 0xFFFF => $"\\u{rune.Value:X4}",
                _ => $"\\U{rune.Value:X8}",
            });
        }
        return sb.ToString();
    }

    private static string Kind(UnicodeCategory category) => category switch
    {
        UnicodeCategory.Control => "control character",
        UnicodeCategory.Format => "formatting character",
        UnicodeCategory.SpaceSeparator => "space",
        _ => "separator",
    };
}
