using System.Globalization;
using MLTrack.Core.Runs;

namespace MLTrack.Core.Reports.Insights;

/// <summary>
/// How strongly one parameter goes with the target metric over a set of runs: Spearman's ρ when every value is a
/// number (sign = direction), else η² of the metric's ranks between the parameter's values (0..1).
/// </summary>
public sealed record ParameterAssociation(string Key, bool Numeric, double Statistic, int Runs, int Distinct, string? BestValue, string? WorstValue)
{
    /// <summary>|ρ| from here on counts as strong (a conventional cut; with 8+ runs it is rarely reached by chance).</summary>
    public const double StrongRho = 0.5;
    /// <summary>η² from here on counts as strong (rank variance explained by the groups).</summary>
    public const double StrongEta = 0.25;
    /// <summary>Fewer runs with both the parameter and the metric say nothing.</summary>
    public const int MinRuns = 8;
    /// <summary>A categorical parameter with more distinct values than this is an identifier, not a choice.</summary>
    public const int MaxLevels = 30;

    /// <summary>The strength on a 0..1 scale comparable across both kinds (|ρ| or η²).</summary>
    public double Strength => Math.Abs(Statistic);

    public bool IsStrong => Numeric ? Strength >= StrongRho : Strength >= StrongEta;

    /// <summary>
    /// Every parameter that varies across <paramref name="runs"/> with a finite <paramref name="metric"/>, strongest
    /// first (ties by name). <paramref name="higherIsBetter"/> decides which categorical value is "best".
    /// </summary>
    public static IReadOnlyList<ParameterAssociation> Compute(IReadOnlyList<Run> runs, string metric, bool higherIsBetter)
    {
        var scored = new List<(Run Run, double Value)>();
        foreach (var run in runs)
            if (Value(run, metric) is { } v) scored.Add((run, v));
        var keys = scored.SelectMany(s => s.Run.Params.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var result = new List<ParameterAssociation>();
        foreach (var key in keys)
        {
            var pairs = scored.Where(s => s.Run.Params.ContainsKey(key)).Select(s => (Param: s.Run.Params[key], s.Value)).ToList();
            if (pairs.Count < MinRuns) continue;
            var distinct = pairs.Select(p => p.Param).Distinct(StringComparer.Ordinal).Count();
            if (distinct < 2) continue;
            var numbers = pairs.Select(p => double.TryParse(p.Param, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : (double?)null).ToList();
            if (numbers.All(n => n is not null))
            {
                if (RankStatistics.Spearman(numbers.Select(n => n!.Value).ToList(), pairs.Select(p => p.Value).ToList()) is { } rho)
                    result.Add(new ParameterAssociation(key, true, rho, pairs.Count, distinct, null, null));
                continue;
            }
            if (distinct > MaxLevels) continue;
            if (RankStatistics.RankEtaSquared(pairs.Select(p => p.Param).ToList(), pairs.Select(p => p.Value).ToList()) is not { } eta) continue;
            var medians = pairs.GroupBy(p => p.Param, StringComparer.Ordinal)
                .Select(g => (Value: g.Key, Median: RankStatistics.Median(g.Select(p => p.Value).ToList())))
                .OrderBy(g => higherIsBetter ? -g.Median : g.Median).ThenBy(g => g.Value, StringComparer.Ordinal).ToList();
            result.Add(new ParameterAssociation(key, false, eta, pairs.Count, distinct, medians[0].Value, medians[^1].Value));
        }
        return result.OrderByDescending(a => a.Strength).ThenBy(a => a.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>The run's latest value of the metric when finite.</summary>
    public static double? Value(Run run, string metric)
    {
        foreach (var m in run.Metrics)
            if (m.Key == metric) return double.IsFinite(m.Latest) ? m.Latest : null;
        return null;
    }
}
