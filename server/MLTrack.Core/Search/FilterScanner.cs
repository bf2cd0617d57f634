using System.Globalization;
using System.Text;

namespace MLTrack.Core.Search;

/// <summary>
/// A cursor over filter or order_by text with the lexical pieces both parsers share: identifiers, keywords,
/// quoted strings and numbers. Every error it raises carries the exact offset.
/// </summary>
internal sealed class FilterScanner(string text, string subject)
{
    private const int MaxShownTokenLength = 30;

    public string Text { get; } = text;

    public int Position { get; set; }

    public bool AtEnd => Position >= Text.Length;

    public char Current => Text[Position];

    public void SkipWhitespace()
    {
        while (!AtEnd && char.IsWhiteSpace(Current))
        {
            Position++;
        }
    }

    public FilterSyntaxException Error(int position, string reason) => new(Text, position, reason, subject);

    /// <summary>Describes what starts at <paramref name="position"/> for "but found ..." messages.</summary>
    public string Describe(int position)
    {
        if (position >= Text.Length)
        {
            return "end of " + subject;
        }
        var c = Text[position];
        if (IsWordChar(c))
        {
            var end = position;
            while (end < Text.Length && (IsWordChar(Text[end]) || Text[end] == '.'))
            {
                end++;
            }
            return "'" + Shorten(Text[position..end]) + "'";
        }
        if (c is '\'' or '"' or '`')
        {
            var close = Text.IndexOf(c, position + 1);
            var literal = close < 0 ? Text[position..] : Text[position..(close + 1)];
            return "the string " + Shorten(literal);
        }
        return "'" + c + "'";
    }

    /// <summary>Consumes <paramref name="keyword"/> (case-insensitive) when it stands at the cursor as a whole word.</summary>
    public bool TryKeyword(string keyword)
    {
        if (!IsKeywordAt(Position, keyword))
        {
            return false;
        }
        Position += keyword.Length;
        return true;
    }

    public bool IsKeywordAt(int position, string keyword)
    {
        var end = position + keyword.Length;
        return end <= Text.Length
            && string.Compare(Text, position, keyword, 0, keyword.Length, StringComparison.OrdinalIgnoreCase) == 0
            && (end == Text.Length || !IsWordChar(Text[end]));
    }

    /// <summary>
    /// Reads <c>prefix.key</c> (prefix one of MLflow's entity names or aliases; key plain, back-quoted or double-quoted)
    /// or a bare attribute name. Attribute names are checked and made canonical.
    /// </summary>
    public Identifier ReadIdentifier()
    {
        var start = Position;
        if (AtEnd || !IsWordStart(Current))
        {
            throw Error(start, $"expected an identifier such as metrics.acc but found {Describe(start)}");
        }
        var word = ReadWord();
        EntityKind entity;
        string key;
        int keyPosition;
        var prefix = EntityOf(word);
        if (!AtEnd && Current == '.')
        {
            if (prefix is null)
            {
                throw Error(start, $"unknown entity type '{word}'; expected metrics, params, tags or attributes");
            }
            entity = prefix.Value;
            Position++;
            keyPosition = Position;
            key = ReadKey(word);
        }
        else
        {
            if (prefix is not null)
            {
                throw Error(Position, $"expected '.' and a key after '{word}' but found {Describe(Position)}");
            }
            if (word.Equals("AND", StringComparison.OrdinalIgnoreCase) || word.Equals("OR", StringComparison.OrdinalIgnoreCase))
            {
                throw Error(start, $"expected an identifier such as metrics.acc but found '{word}'");
            }
            entity = EntityKind.Attribute;
            key = word;
            keyPosition = start;
        }
        if (entity == EntityKind.Attribute)
        {
            if (!RunAttributes.TryGet(key, out var attribute))
            {
                throw Error(keyPosition, $"unknown attribute '{key}'; expected one of {RunAttributes.KnownNames}");
            }
            key = attribute.Name;
        }
        return new Identifier(entity, key, start);
    }

    /// <summary>Reads a string opened by the quote character at the cursor; a doubled quote stands for one quote character.</summary>
    public string ReadQuoted()
    {
        var start = Position;
        var quote = Current;
        var value = new StringBuilder();
        Position++;
        while (true)
        {
            if (AtEnd)
            {
                throw Error(start, $"unterminated string starting with {quote}");
            }
            var c = Current;
            Position++;
            if (c != quote)
            {
                value.Append(c);
            }
            else if (!AtEnd && Current == quote)
            {
                value.Append(quote);
                Position++;
            }
            else
            {
                return value.ToString();
            }
        }
    }

    /// <summary>Reads a number: optional sign, digits with an optional fraction, optional exponent. Null when none starts here.</summary>
    public double? TryReadNumber()
    {
        var start = Position;
        var end = start;
        if (end < Text.Length && Text[end] is '+' or '-')
        {
            end++;
        }
        var digits = 0;
        while (end < Text.Length && char.IsAsciiDigit(Text[end]))
        {
            end++;
            digits++;
        }
        if (end < Text.Length && Text[end] == '.')
        {
            end++;
            while (end < Text.Length && char.IsAsciiDigit(Text[end]))
            {
                end++;
                digits++;
            }
        }
        if (digits == 0)
        {
            return null;
        }
        if (end < Text.Length && Text[end] is 'e' or 'E')
        {
            end++;
            if (end < Text.Length && Text[end] is '+' or '-')
            {
                end++;
            }
            var exponentDigits = 0;
            while (end < Text.Length && char.IsAsciiDigit(Text[end]))
            {
                end++;
                exponentDigits++;
            }
            if (exponentDigits == 0)
            {
                throw Error(start, $"invalid number '{Shorten(Text[start..TokenEnd(end)])}'");
            }
        }
        if (end < Text.Length && (IsWordChar(Text[end]) || Text[end] == '.'))
        {
            throw Error(start, $"invalid number '{Shorten(Text[start..TokenEnd(end)])}'");
        }
        var value = double.Parse(Text.AsSpan(start, end - start), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
        {
            throw Error(start, $"number '{Shorten(Text[start..end])}' is out of range");
        }
        Position = end;
        return value;
    }

    private string ReadKey(string prefix)
    {
        var start = Position;
        if (!AtEnd && Current is '`' or '"')
        {
            var quoted = ReadQuoted();
            if (quoted.Length == 0)
            {
                throw Error(start, $"the key after '{prefix}.' must not be empty");
            }
            return quoted;
        }
        while (!AtEnd && IsKeyChar(Current))
        {
            Position++;
        }
        if (Position == start)
        {
            throw Error(start, $"expected a key after '{prefix}.' but found {Describe(start)}");
        }
        return Text[start..Position];
    }

    private string ReadWord()
    {
        var start = Position;
        while (!AtEnd && IsWordChar(Current))
        {
            Position++;
        }
        return Text[start..Position];
    }

    private int TokenEnd(int from)
    {
        while (from < Text.Length && (IsWordChar(Text[from]) || Text[from] is '.' or '+' or '-'))
        {
            from++;
        }
        return from;
    }

    private static EntityKind? EntityOf(string prefix) => prefix.ToLowerInvariant() switch
    {
        "metrics" or "metric" => EntityKind.Metric,
        "params" or "param" or "parameters" or "parameter" => EntityKind.Param,
        "tags" or "tag" => EntityKind.Tag,
        "attributes" or "attribute" or "attr" or "run" => EntityKind.Attribute,
        _ => null,
    };

    private static string Shorten(string token) =>
        token.Length <= MaxShownTokenLength ? token : token[..MaxShownTokenLength] + "...";

    private static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>Unquoted keys also take the separators common in metric names: <c>val.loss</c>, <c>train/loss</c>, <c>val-acc</c>, <c>a:b</c>.</summary>
    private static bool IsKeyChar(char c) => IsWordChar(c) || c is '.' or '/' or '-' or ':';
}
