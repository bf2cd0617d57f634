using System.Text;
using System.Text.RegularExpressions;
using MLTrack.Core.Runs;
using MLTrack.Core.Search;

namespace MLTrack.Server.Http;

/// <summary>
/// The subset of MLflow's experiment search syntax MLTrack supports: clauses on <c>name</c> (or <c>attribute.name</c>)
/// and <c>tags.&lt;key&gt;</c> with <c>=</c>, <c>!=</c>, <c>LIKE</c>, <c>ILIKE</c>, joined by AND; order_by on name,
/// experiment_id, creation_time or last_update_time, ASC or DESC.
/// </summary>
internal static class ExperimentFilter
{
    public static Func<Experiment, bool> Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter)) return _ => true;
        var clauses = new List<Func<Experiment, bool>>();
        int pos = 0;
        while (true)
        {
            SkipSpace(filter, ref pos);
            if (clauses.Count == FilterParser.MaxClauses)
                throw new FilterSyntaxException(filter, pos,
                    $"a filter may join at most {FilterParser.MaxClauses} comparisons with AND; this one has more. Narrow the search with fewer, broader conditions");
            int identStart = pos;
            var ident = ReadIdentifier(filter, ref pos);
            Func<Experiment, string?> subject = ident.ToLowerInvariant() switch
            {
                "name" or "attribute.name" or "attributes.name" => e => e.Name,
                var t when t.StartsWith("tags.", StringComparison.Ordinal) || t.StartsWith("tag.", StringComparison.Ordinal) =>
                    TagSubject(ident[(ident.IndexOf('.') + 1)..].Trim('`', '"')),
                _ => throw new FilterSyntaxException(filter, identStart,
                    $"unsupported attribute '{ident}' for experiments: use name or tags.<key>"),
            };
            SkipSpace(filter, ref pos);
            int opStart = pos;
            var op = ReadOperator(filter, ref pos);
            SkipSpace(filter, ref pos);
            var value = ReadString(filter, ref pos);
            clauses.Add(op.ToUpperInvariant() switch
            {
                "=" => e => subject(e) == value,
                "!=" => e => subject(e) is { } s && s != value,
                "LIKE" => Like(subject, value, RegexOptions.None),
                "ILIKE" => Like(subject, value, RegexOptions.IgnoreCase),
                _ => throw new FilterSyntaxException(filter, opStart, $"unsupported comparator '{op}': use =, !=, LIKE or ILIKE"),
            });
            SkipSpace(filter, ref pos);
            if (pos >= filter.Length) break;
            int andStart = pos;
            var word = ReadIdentifier(filter, ref pos);
            if (!word.Equals("and", StringComparison.OrdinalIgnoreCase))
                throw new FilterSyntaxException(filter, andStart, $"expected AND between clauses, got '{word}'");
        }
        return e => clauses.TrueForAll(c => c(e));
    }

    public static Func<IEnumerable<Experiment>, IEnumerable<Experiment>> ParseOrderBy(IReadOnlyList<string> terms)
    {
        var keys = new List<(Func<Experiment, IComparable> Key, bool Desc)>();
        foreach (var term in terms)
        {
            var parts = term.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is 0 or > 2) throw new FilterSyntaxException(term, 0, "expected '<attribute> [ASC|DESC]'", "order_by");
            var desc = parts.Length == 2 && (parts[1].ToUpperInvariant() switch
            {
                "ASC" => false,
                "DESC" => true,
                _ => throw new FilterSyntaxException(term, term.IndexOf(parts[1], StringComparison.Ordinal), $"expected ASC or DESC, got '{parts[1]}'", "order_by"),
            });
            var name = parts[0].ToLowerInvariant();
            if (name.StartsWith("attribute.", StringComparison.Ordinal) || name.StartsWith("attributes.", StringComparison.Ordinal)) name = name[(name.IndexOf('.') + 1)..];
            Func<Experiment, IComparable> key = name switch
            {
                "name" => e => e.Name,
                "experiment_id" => e => long.Parse(e.ExperimentId, System.Globalization.CultureInfo.InvariantCulture),
                "creation_time" => e => e.CreationTime,
                "last_update_time" => e => e.LastUpdateTime,
                _ => throw new FilterSyntaxException(term, 0,
                    $"unsupported order_by attribute '{parts[0]}': use name, experiment_id, creation_time or last_update_time", "order_by"),
            };
            keys.Add((key, desc));
        }
        // MLflow's default: newest first, ties by id.
        keys.Add((e => e.CreationTime, true));
        keys.Add((e => long.Parse(e.ExperimentId, System.Globalization.CultureInfo.InvariantCulture), false));
        return items =>
        {
            IOrderedEnumerable<Experiment>? ordered = null;
            foreach (var (key, desc) in keys)
                ordered = ordered is null
                    ? (desc ? items.OrderByDescending(key) : items.OrderBy(key))
                    : (desc ? ordered.ThenByDescending(key) : ordered.ThenBy(key));
            return ordered!;
        };
    }

    private static Func<Experiment, string?> TagSubject(string key) => e => e.Tags.TryGetValue(key, out var v) ? v : null;

    private static Func<Experiment, bool> Like(Func<Experiment, string?> subject, string pattern, RegexOptions options)
    {
        var regex = new StringBuilder("^");
        foreach (var ch in pattern)
            regex.Append(ch switch { '%' => ".*", '_' => ".", _ => Regex.Escape(ch.ToString()) });
        var re = new Regex(regex.Append('$').ToString(), options | RegexOptions.Singleline | RegexOptions.CultureInvariant);
        return e => subject(e) is { } s && re.IsMatch(s);
    }

    private static void SkipSpace(string s, ref int pos)
    {
        while (pos < s.Length && char.IsWhiteSpace(s[pos])) pos++;
    }

    private static string ReadIdentifier(string s, ref int pos)
    {
        int start = pos;
        while (pos < s.Length && (char.IsLetterOrDigit(s[pos]) || s[pos] is '_' or '.' or '-' or '`'))
        {
            if (s[pos] == '`')
            {
                int close = s.IndexOf('`', pos + 1);
                if (close < 0) throw new FilterSyntaxException(s, pos, "unterminated backtick");
                pos = close + 1;
                continue;
            }
            pos++;
        }
        if (pos == start) throw new FilterSyntaxException(s, pos, pos >= s.Length ? "unexpected end of filter" : $"unexpected character '{s[pos]}'");
        return s[start..pos];
    }

    private static string ReadOperator(string s, ref int pos)
    {
        if (pos < s.Length && s[pos] == '=') { pos++; return "="; }
        if (pos + 1 < s.Length && s[pos] == '!' && s[pos + 1] == '=') { pos += 2; return "!="; }
        int start = pos;
        while (pos < s.Length && char.IsLetter(s[pos])) pos++;
        if (pos == start) throw new FilterSyntaxException(s, pos, pos >= s.Length ? "expected a comparator, got end of filter" : $"expected a comparator, got '{s[pos]}'");
        return s[start..pos];
    }

    private static string ReadString(string s, ref int pos)
    {
        if (pos >= s.Length || s[pos] is not ('\'' or '"'))
            throw new FilterSyntaxException(s, pos, "expected a quoted string value");
        var quote = s[pos];
        var sb = new StringBuilder();
        for (int i = pos + 1; i < s.Length; i++)
        {
            if (s[i] == quote)
            {
                if (i + 1 < s.Length && s[i + 1] == quote) { sb.Append(quote); i++; continue; }
                pos = i + 1;
                return sb.ToString();
            }
            sb.Append(s[i]);
        }
        throw new FilterSyntaxException(s, pos, "unterminated string");
    }
}
