using MLTrack.Core.Launch;
using MLTrack.Core.Metrics;

namespace MLTrack.Core.Tests.Launch;

public class OutputMetricParserTests
{
    private static Dictionary<string, MetricPoint> ParseOne(string line, string? pattern = null) =>
        new OutputMetricParser(pattern).Parse(line, 1000).ToDictionary(p => p.Key);

    [Fact]
    public void Equals_pairs_become_points_with_the_epoch_as_step()
    {
        var points = ParseOne("epoch 3 loss=0.25 acc=0.91");
        Assert.Equal(2, points.Count);
        Assert.Equal(new MetricPoint("loss", 0.25, 1000, 3), points["loss"]);
        Assert.Equal(new MetricPoint("acc", 0.91, 1000, 3), points["acc"]);
    }

    [Fact]
    public void Colon_pairs_with_a_space_are_read()
    {
        var p = ParseOne("val_loss: 1e-3");
        Assert.Equal(0.001, p["val_loss"].Value);
    }

    [Fact]
    public void Scientific_notation_with_capital_E_is_read()
    {
        Assert.Equal(3.0e-4, ParseOne("lr=3.0E-04")["lr"].Value);
    }

    [Fact]
    public void Nan_and_infinities_are_values()
    {
        var p = ParseOne("loss=nan x=inf y=-inf z=NaN w=Infinity");
        Assert.True(double.IsNaN(p["loss"].Value));
        Assert.Equal(double.PositiveInfinity, p["x"].Value);
        Assert.Equal(double.NegativeInfinity, p["y"].Value);
        Assert.True(double.IsNaN(p["z"].Value));
        Assert.Equal(double.PositiveInfinity, p["w"].Value);
    }

    [Fact]
    public void Spaces_around_equals_are_allowed_and_signs_kept()
    {
        var p = ParseOne("delta = -0.5 gain=+2");
        Assert.Equal(-0.5, p["delta"].Value);
        Assert.Equal(2, p["gain"].Value);
    }

    [Fact]
    public void Keys_may_hold_slashes_dots_and_dashes()
    {
        var p = ParseOne("train/loss=1.5 val.acc=0.5 top-5=0.9");
        Assert.Equal([1.5, 0.5, 0.9], new[] { p["train/loss"].Value, p["val.acc"].Value, p["top-5"].Value });
    }

    [Fact]
    public void Non_numeric_values_are_ignored()
    {
        var p = ParseOne("model=resnet50 optimizer: adam done=True loss=0.1");
        Assert.Equal(["loss"], p.Keys);
    }

    [Fact]
    public void A_line_without_pairs_yields_nothing()
    {
        Assert.Empty(ParseOne("Loading data from disk..."));
        Assert.Empty(ParseOne(""));
    }

    [Theory]
    [InlineData("epoch 3 loss=0.5", 3)]
    [InlineData("epoch=3 loss=0.5", 3)]
    [InlineData("Epoch 3/10 loss=0.5", 3)]
    [InlineData("Epoch [3/10] loss=0.5", 3)]
    [InlineData("step: 7 loss=0.5", 7)]
    [InlineData("Iteration 12, loss = 0.5", 12)]
    [InlineData("iter 40 loss=0.5", 40)]
    public void The_step_comes_from_a_step_mention_on_the_line(string line, long step)
    {
        var p = ParseOne(line);
        Assert.Equal(["loss"], p.Keys);
        Assert.Equal(step, p["loss"].Step);
    }

    [Fact]
    public void The_finer_step_wins_and_the_other_is_kept_as_a_metric()
    {
        var p = ParseOne("epoch=2 step=300 loss=0.5");
        Assert.Equal(300, p["loss"].Step);
        Assert.Equal(2, p["epoch"].Value);
        Assert.False(p.ContainsKey("step"));
    }

    [Fact]
    public void Without_a_step_each_key_counts_its_own_points()
    {
        var parser = new OutputMetricParser();
        var first = parser.Parse("loss=0.5", 1);
        var second = parser.Parse("loss=0.4 acc=0.1", 2);
        var third = parser.Parse("loss=0.3", 3);
        Assert.Equal(1, first.Single().Step);
        Assert.Equal([2L, 1L], second.Select(p => p.Step));
        Assert.Equal(3, third.Single().Step);
    }

    [Theory]
    [InlineData("12:30:01 training started")]
    [InlineData("time=12:30:01")]
    [InlineData("[2024-01-01T12:30:01Z] server ready")]
    [InlineData("Serving on http://127.0.0.1:8080/?port=8080&batch=3")]
    [InlineData("see https://example.com/run?id=5")]
    [InlineData("listening on localhost:8080")]
    [InlineData("version=1.2.3 ip=10.0.0.1")]
    [InlineData("size=12MB eta=3s")]
    [InlineData("train.py --lr=0.01 --epochs=3")]
    public void Times_urls_versions_and_flags_are_not_metrics(string line)
    {
        Assert.Empty(ParseOne(line));
    }

    [Fact]
    public void Keras_progress_lines_are_read_as_the_terminal_shows_them()
    {
        var line = "1/10 [==>...] - loss: 0.9000\r10/10 [==========] - 1s 5ms/step - loss: 0.2500 - accuracy: 0.9100";
        var p = ParseOne(line);
        Assert.Equal(0.25, p["loss"].Value);
        Assert.Equal(0.91, p["accuracy"].Value);
        Assert.Equal(2, p.Count);
    }

    [Fact]
    public void Ansi_colour_codes_are_ignored()
    {
        var p = ParseOne("\u001b[32mloss\u001b[0m=0.5 \u001b[1macc: 0.75\u001b[0m");
        Assert.Equal(0.5, p["loss"].Value);
        Assert.Equal(0.75, p["acc"].Value);
    }

    [Fact]
    public void A_user_pattern_replaces_the_default_rule()
    {
        var p = ParseOne("METRIC loss 0.5 | other=3", @"METRIC (?<key>\w+) (?<value>\S+)");
        Assert.Equal(["loss"], p.Keys);
        Assert.Equal(0.5, p["loss"].Value);
        Assert.Equal(1, p["loss"].Step);
    }

    [Fact]
    public void A_user_pattern_step_group_sets_the_step()
    {
        var p = ParseOne("[12] loss -> 0.5", @"\[(?<step>\d+)\] (?<key>\w+) -> (?<value>\S+)");
        Assert.Equal(12, p["loss"].Step);
    }

    [Fact]
    public void A_user_pattern_without_step_group_uses_the_line_step()
    {
        var p = ParseOne("epoch 4 | loss 0.5", @"\| (?<key>\w+) (?<value>\S+)");
        Assert.Equal(4, p["loss"].Step);
    }

    [Fact]
    public void A_user_pattern_ignores_non_numeric_values()
    {
        Assert.Empty(ParseOne("name is bob", @"(?<key>\w+) is (?<value>\w+)"));
    }

    [Fact]
    public void An_invalid_user_pattern_is_an_argument_error_naming_the_problem()
    {
        var e = Assert.Throws<ArgumentException>(() => new OutputMetricParser("(?<key>\\w+=(?<value>"));
        Assert.Contains("Invalid metric pattern", e.Message);
        Assert.Contains("Not enough )'s", e.Message); // the regex engine's own diagnosis
    }

    [Fact]
    public void A_user_pattern_without_key_and_value_groups_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new OutputMetricParser(@"(?<name>\w+)=(?<value>\d+)"));
        Assert.Contains("(?<key>", e.Message);
    }

    [Fact]
    public void A_catastrophic_user_pattern_gives_up_instead_of_hanging()
    {
        var parser = new OutputMetricParser(@"(?<key>(a+)+)b(?<value>\d)");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Empty(parser.Parse(new string('a', 5000) + "c"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Distinct_keys_are_capped()
    {
        var parser = new OutputMetricParser();
        for (var i = 0; i < OutputMetricParser.MaxDistinctKeys; i++) Assert.Single(parser.Parse($"k{i}=1"));
        Assert.Empty(parser.Parse("one_too_many=1"));
        Assert.Single(parser.Parse("k0=2"));
    }
}
