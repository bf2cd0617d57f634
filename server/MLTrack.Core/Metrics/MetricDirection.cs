using System.Text.RegularExpressions;

namespace MLTrack.Core.Metrics;

/// <summary>Whether a metric improves downwards (losses, errors) or upwards (accuracy, F1), judged by its name.</summary>
public static partial class MetricDirection
{
    [GeneratedRegex(@"(^|[^a-z])(loss|error|err|mse|mae|rmse|mape|perplexity|ppl|wer|cer|latency|time|duration)([^a-z]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex LowerIsBetterName();

    public static bool LowerIsBetter(string key) => LowerIsBetterName().IsMatch(key.Replace('_', ' ').Replace('/', ' ').Replace('.', ' '));

    /// <summary>True when <paramref name="candidate"/> beats <paramref name="incumbent"/> for this metric; NaN never wins.</summary>
    public static bool IsBetter(string key, double candidate, double incumbent) =>
        !double.IsNaN(candidate) && (double.IsNaN(incumbent) || (LowerIsBetter(key) ? candidate < incumbent : candidate > incumbent));
}
