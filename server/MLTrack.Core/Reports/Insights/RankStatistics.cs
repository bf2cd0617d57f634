namespace MLTrack.Core.Reports.Insights;

/// <summary>Rank-based statistics: robust to scale and outliers, so a learning rate on a log scale needs no transform.</summary>
public static class RankStatistics
{
    /// <summary>1-based ranks, ties sharing their average rank.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ThenBy(i => i).ToArray();
        var ranks = new double[values.Count];
        for (int i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && values[order[j + 1]] == values[order[i]]) j++;
            var rank = (i + j) / 2.0 + 1;
            for (var k = i; k <= j; k++) ranks[order[k]] = rank;
            i = j + 1;
        }
        return ranks;
    }

    /// <summary>Spearman's ρ (Pearson correlation of the ranks) in [-1, 1]; null when either side is constant or fewer than 3 pairs.</summary>
    public static double? Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException("Spearman needs pairs: the two lists differ in length.");
        if (x.Count < 3) return null;
        return Pearson(Ranks(x), Ranks(y));
    }

    /// <summary>
    /// Share of the variance of <paramref name="y"/>'s ranks explained by the groups (η² of a one-way ANOVA on ranks,
    /// Kruskal–Wallis' effect size): 0 when groups do not matter, 1 when they alone order the values. Null with fewer
    /// than two groups or constant values.
    /// </summary>
    public static double? RankEtaSquared(IReadOnlyList<string> groups, IReadOnlyList<double> y)
    {
        if (groups.Count != y.Count) throw new ArgumentException("Groups and values differ in length.");
        var ranks = Ranks(y);
        var mean = (ranks.Length + 1) / 2.0;
        double total = 0, between = 0;
        foreach (var r in ranks) total += (r - mean) * (r - mean);
        var byGroup = new Dictionary<string, (double Sum, int N)>(StringComparer.Ordinal);
        for (var i = 0; i < ranks.Length; i++)
        {
            var g = byGroup.GetValueOrDefault(groups[i]);
            byGroup[groups[i]] = (g.Sum + ranks[i], g.N + 1);
        }
        if (byGroup.Count < 2 || total <= 0) return null;
        foreach (var (sum, n) in byGroup.Values)
        {
            var m = sum / n;
            between += n * (m - mean) * (m - mean);
        }
        return Math.Clamp(between / total, 0, 1);
    }

    /// <summary>The median; the mean of the two middle values for an even count. NaN when empty.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>The q-quantile (0..1) by linear interpolation between order statistics. NaN when empty.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        var pos = (sorted.Count - 1) * Math.Clamp(q, 0, 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /// <summary>P(X ≥ k) for X ~ Binomial(n, p), summed in log space so large n does not underflow.</summary>
    public static double BinomialUpperTail(int n, int k, double p)
    {
        if (k <= 0) return 1;
        if (k > n) return 0;
        if (p <= 0) return 0;
        if (p >= 1) return 1;
        double logP = Math.Log(p), logQ = Math.Log(1 - p), sum = 0;
        var logC = LogChoose(n, k);
        for (var i = k; i <= n; i++)
        {
            var term = Math.Exp(logC + i * logP + (n - i) * logQ);
            sum += term;
            if (term < sum * 1e-15) break;
            logC += Math.Log(n - i) - Math.Log(i + 1);
        }
        return Math.Min(1, sum);
    }

    private static double LogChoose(int n, int k)
    {
        double s = 0;
        for (var i = 1; i <= k; i++) s += Math.Log(n - k + i) - Math.Log(i);
        return s;
    }

    private static double? Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        if (sxx <= 0 || syy <= 0) return null;
        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }
}
