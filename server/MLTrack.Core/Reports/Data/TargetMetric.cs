using MLTrack.Core.Metrics;
using MLTrack.Core.Runs;

namespace MLTrack.Core.Reports.Data;

/// <summary>The metric an experiment is judged by, its direction, and why it was chosen.</summary>
public sealed record TargetMetric(string Key, bool HigherIsBetter, string Reason)
{
    /// <summary>The experiment tag that names the target metric explicitly.</summary>
    public const string Tag = "mltrack.target_metric";

    // Names people optimise for, best first; matched on the key's last segment without a split prefix (val_, test_...).
    private static readonly string[] Preferred = ["accuracy", "acc", "f1", "auc", "r2", "loss"];
    private static readonly string[] SplitPrefixes = ["val", "valid", "validation", "test", "eval"];

    /// <summary>
    /// The experiment's <see cref="Tag"/> when set; else, among the metrics logged by at least half as many of the
    /// sampled runs as the most common one (system/* and llm/* excluded), the first preferred name (accuracy, acc, f1,
    /// auc, r2, loss; a validation/test variant first), else the most common, then by name. Null without metrics.
    /// </summary>
    public static TargetMetric? Choose(Experiment experiment, IReadOnlyList<Run> sample)
    {
        if (experiment.Tags.TryGetValue(Tag, out var tagged) && !string.IsNullOrWhiteSpace(tagged))
        {
            var key = tagged.Trim();
            return new TargetMetric(key, !MetricDirection.LowerIsBetter(key), $"experiment tag {Tag}");
        }
        var coverage = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var run in sample)
            foreach (var m in run.Metrics)
                if (!IsSystem(m.Key))
                    coverage[m.Key] = coverage.GetValueOrDefault(m.Key) + 1;
        if (coverage.Count == 0) return null;
        var most = coverage.Values.Max();
        var chosen = coverage
            .Where(c => c.Value * 2 >= most)
            .OrderBy(c => Preference(c.Key))
            .ThenByDescending(c => c.Value)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .First();
        var reason = Preference(chosen.Key) < int.MaxValue ? "a common metric with a known name" : "the metric logged by the most runs";
        return new TargetMetric(chosen.Key, !MetricDirection.LowerIsBetter(chosen.Key), reason);
    }

    /// <summary>Metrics about the machine or LLM spend, never a model's quality.</summary>
    public static bool IsSystem(string key) =>
        key.StartsWith("system/", StringComparison.Ordinal) || key.StartsWith("llm/", StringComparison.Ordinal);

    /// <summary>Lower is more preferred; int.MaxValue for names not in the list.</summary>
    private static int Preference(string key)
    {
        var segments = key.ToLowerInvariant().Split('/', '.');
        var name = segments[^1];
        var split = segments[..^1].Any(s => SplitPrefixes.Contains(s));
        foreach (var p in SplitPrefixes)
        {
            if (name.StartsWith(p + "_", StringComparison.Ordinal) || name.StartsWith(p + "-", StringComparison.Ordinal))
            {
                name = name[(p.Length + 1)..];
                split = true;
                break;
            }
        }
        var i = Array.IndexOf(Preferred, name);
        return i < 0 ? int.MaxValue : i * 2 + (split ? 0 : 1);
    }
}
