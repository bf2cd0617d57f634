using MLTrack.Core.Reports.Insights;

namespace MLTrack.Core.Tests.Reports;

public sealed class RankStatisticsTests
{
    [Fact]
    public void Ranks_share_ties()
    {
        Assert.Equal([1, 2.5, 2.5, 4], RankStatistics.Ranks([1, 5, 5, 9]));
    }

    [Fact]
    public void Spearman_is_one_for_any_increasing_relation_and_minus_one_for_decreasing()
    {
        double[] x = [0.0001, 0.001, 0.01, 0.1, 1];
        Assert.Equal(1, RankStatistics.Spearman(x, x.Select(v => Math.Log(v)).ToList())!.Value, 10);
        Assert.Equal(-1, RankStatistics.Spearman(x, x.Select(v => -v * v).ToList())!.Value, 10);
    }

    [Fact]
    public void Spearman_of_a_constant_is_undefined()
    {
        Assert.Null(RankStatistics.Spearman([1, 2, 3], [4, 4, 4]));
    }

    [Fact]
    public void Rank_eta_squared_is_one_when_groups_order_the_values_and_near_zero_when_they_do_not()
    {
        Assert.Equal(1, RankStatistics.RankEtaSquared(["a", "a", "b", "b"], [1, 1, 5, 5])!.Value, 10);
        Assert.True(RankStatistics.RankEtaSquared(["a", "b", "a", "b", "a", "b"], [1, 2, 3, 4, 5, 6]) < 0.1);
    }

    [Fact]
    public void Binomial_tail_matches_a_hand_computed_value()
    {
        // P(X >= 2), n = 3, p = 0.5: (3 + 1) / 8
        Assert.Equal(0.5, RankStatistics.BinomialUpperTail(3, 2, 0.5), 12);
        Assert.True(RankStatistics.BinomialUpperTail(1000, 500, 0.1) < 1e-100);
    }

    [Fact]
    public void Median_of_an_even_count_is_the_mean_of_the_middle_two()
    {
        Assert.Equal(2.5, RankStatistics.Median([4, 1, 3, 2]));
    }
}
