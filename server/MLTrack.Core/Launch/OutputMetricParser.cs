using System.Globalization;
using System.Text.RegularExpressions;
using MLTrack.Core.Metrics;
using MLTrack.Core.Names;

namespace MLTrack.Core.Launch;

/// <summary>
/// Turns lines printed by a training script into metric points, so an unmodified script's <c>print</c>s become charts.
/// <para>
/// Default rule: numeric <c>key=value</c>, <c>key = value</c> and <c>key: value</c> pairs (the colon form needs a space
/// after the colon, which keeps <c>12:30:01</c> and <c>localhost:8080</c> out). Keys match
/// <c>[A-Za-z_][A-Za-z0-9_./-]*</c> and must start a token; values must end one (so <c>1.2.3</c>, <c>0.5abc</c> and
/// <c>30:01</c> are not numbers). URLs are removed before matching. Values may be <c>nan</c>, <c>inf</c>, <c>-inf</c>.
/// </para>
/// <para>
/// Step: taken from an <c>epoch</c>/<c>step</c>/<c>iter</c>/<c>iteration</c> mention on the same line (<c>epoch 3</c>,
/// <c>epoch=3</c>, <c>Epoch 3/10</c>, <c>Epoch [3/10]</c>, <c>step: 7</c>); when several appear the finest wins
/// (step, then iteration/iter, then epoch) and only that key is kept out of the metrics. Without one, each key counts its
/// own points 1, 2, 3, …
/// </para>
/// <para>
/// A user pattern replaces the pair rule: every match with named groups <c>key</c> and <c>value</c> is a point; its
/// optional <c>step</c> group gives the step, else the same-line rule above, else the per-key counter. Either way a key
/// that <see cref="Names.NameRules"/> refuses (an invisible character, <c>a//b</c>, …) yields no point.
/// </para>
/// <para>
/// The text parsed is what a terminal would show: ANSI escapes removed and only the part after the last carriage
/// return (progress bars redraw a line with <c>\r</c>). Instances are thread-safe (the counters are shared by stdout
/// and stderr).
/// </para>
/// </summary>
public sealed class OutputMetricParser
{
    /// <summary>Most distinct keys one parser will emit; guards the store against output that invents a key per line.</summary>
    public const int MaxDistinctKeys = 1000;

    // A match that takes longer than this is abandoned (the line yields nothing) instead of stalling the output pump.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    // Characters that, right before a key, mean we are inside a word, path, number, time or flag (--lr=0.1) rather
    // than at the start of a key.
    private const string NotKeyStart = @"(?<![A-Za-z0-9_./\-:?&=#%@~+])";
    // Characters that, right after a value, mean the number continues as something else (version, time, path, unit word).
    private const string NotValueEnd = @"(?![A-Za-z0-9_:/]|\.\d)";
    private const string Number = @"[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|(?i:nan|infinity|inf))";

    private static readonly Regex DefaultPair = new(
        NotKeyStart + @"(?<key>[A-Za-z_][A-Za-z0-9_./\-]*)(?:\s*=\s*|:\s+)(?<value>" + Number + ")" + NotValueEnd,
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Compiled, MatchTimeout);

    private static readonly Regex StepMention = new(
        NotKeyStart + @"(?<name>(?i:epoch|step|iteration|iter))(?:\s*[=:]\s*|\s*\[\s*|\s+)(?<step>\d+)(?!\d|\.\d)",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Compiled, MatchTimeout);

    private static readonly Regex Url = new(@"[A-Za-z][A-Za-z0-9+.\-]*://\S*",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private static readonly Regex AnsiEscape = new(@"\x1B(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1B]*(?:\x07|\x1B\\)?|[@-Z\\-_])",
        RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private readonly Regex? _custom;
    private readonly Dictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <param name="pattern">A user regex with named groups <c>key</c> and <c>value</c> (and optionally <c>step</c>); null or blank for the default rule.</param>
    /// <exception cref="ArgumentException">The pattern does not compile or lacks a <c>key</c> or <c>value</c> group.</exception>
    public OutputMetricParser(string? pattern = null)
    {
        if (string.IsNullOrWhiteSpace(pattern)) return;
        try
        {
            _custom = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Invalid metric pattern '{pattern}': {e.Message}", nameof(pattern), e);
        }
        var groups = _custom.GetGroupNames();
        foreach (var required in new[] { "key", "value" })
            if (!groups.Contains(required))
                throw new ArgumentException(
                    $"Invalid metric pattern '{pattern}': it needs a named group (?<{required}>...); optional: (?<step>...).", nameof(pattern));
    }

    /// <summary>True when a user pattern replaced the default rule.</summary>
    public bool IsCustom => _custom is not null;

    /// <summary>The metric points in <paramref name="line"/>, stamped now.</summary>
    public IReadOnlyList<MetricPoint> Parse(string line) => Parse(line, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary>The metric points in <paramref name="line"/> (one line, without its newline), stamped with <paramref name="timestamp"/> (Unix ms).</summary>
    public IReadOnlyList<MetricPoint> Parse(string line, long timestamp)
    {
        var text = Visible(line);
        if (text.Length == 0) return [];
        try
        {
            return _custom is null ? ParseDefault(text, timestamp) : ParseCustom(_custom, text, timestamp);
        }
        catch (RegexMatchTimeoutException)
        {
            return [];
        }
    }

    private List<MetricPoint> ParseDefault(string text, long timestamp)
    {
        var (stepKey, step) = FindStep(text);
        var withoutUrls = text.Contains("://", StringComparison.Ordinal) ? Url.Replace(text, " ") : text;
        var points = new List<MetricPoint>();
        lock (_gate)
        {
            foreach (Match m in DefaultPair.Matches(withoutUrls))
            {
                var key = m.Groups["key"].Value;
                if (stepKey is not null && string.Equals(key, stepKey, StringComparison.OrdinalIgnoreCase)) continue;
                if (TryParseNumber(m.Groups["value"].Value, out var value)) Add(points, key, value, step, timestamp);
            }
        }
        return points;
    }

    private List<MetricPoint> ParseCustom(Regex regex, string text, long timestamp)
    {
        var (stepKey, lineStep) = FindStep(text);
        var points = new List<MetricPoint>();
        lock (_gate)
        {
            foreach (Match m in regex.Matches(text))
            {
                var key = m.Groups["key"].Value.Trim();
                if (key.Length == 0) continue;
                if (stepKey is not null && string.Equals(key, stepKey, StringComparison.OrdinalIgnoreCase)) continue;
                if (!TryParseNumber(m.Groups["value"].Value, out var value)) continue;
                var stepGroup = m.Groups["step"];
                long? step = stepGroup.Success && long.TryParse(stepGroup.Value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
                    ? s
                    : lineStep;
                Add(points, key, value, step, timestamp);
            }
        }
        return points;
    }

    // Caller holds _gate.
    private void Add(List<MetricPoint> points, string key, double value, long? step, long timestamp)
    {
        if (NameRules.KeyProblem(key) is not null) return; // the store would refuse the whole batch for it
        if (!_counters.TryGetValue(key, out var count))
        {
            if (_counters.Count >= MaxDistinctKeys) return;
            count = 0;
        }
        if (step is null) count++;
        _counters[key] = count;
        points.Add(new MetricPoint(key, value, timestamp, step ?? count));
    }

    /// <summary>The step mentioned on the line, preferring the finest unit: step, then iteration/iter, then epoch.</summary>
    private static (string? Key, long? Step) FindStep(string text)
    {
        string? bestKey = null;
        long? best = null;
        var bestRank = int.MaxValue;
        foreach (Match m in StepMention.Matches(text))
        {
            var name = m.Groups["name"].Value;
            var rank = name.ToLowerInvariant() switch { "step" => 0, "iteration" or "iter" => 1, _ => 2 };
            if (rank >= bestRank) continue;
            if (!long.TryParse(m.Groups["step"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) continue;
            (bestKey, best, bestRank) = (name, value, rank);
        }
        return (bestKey, best);
    }

    /// <summary>What a terminal would show for the line: no ANSI escapes, only the text after the last carriage return.</summary>
    private static string Visible(string line)
    {
        var text = line.Contains('\x1B') ? AnsiEscape.Replace(line, "") : line;
        var trimmed = text.TrimEnd('\r');
        var cr = trimmed.LastIndexOf('\r');
        return cr >= 0 ? trimmed[(cr + 1)..] : trimmed;
    }

    internal static bool TryParseNumber(string text, out double value)
    {
        var s = text.Trim();
        var sign = 1.0;
        var body = s;
        if (body.StartsWith('+') || body.StartsWith('-'))
        {
            sign = body[0] == '-' ? -1 : 1;
            body = body[1..];
        }
        if (body.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }
        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = sign * double.PositiveInfinity;
            return true;
        }
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
