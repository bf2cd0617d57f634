using MLTrack.Core.Search;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Postgres;

namespace MLTrack.Core.Tests.Storage.Postgres;

/// <summary>
/// Runs the generated SQL against the real schema, with the same fixture and results as SQLite's
/// (<see cref="Sqlite.SqliteRunFilterExecutionTests"/>), in a database whose default collation is locale-aware. Fixture:
/// a: "resnet-small" FINISHED, start 1000, end 2000, exit 0, exp 1; lr=0.01 opt=adam model.depth=18 x=a; team=vision env=Dev; acc=0.95 loss=0.2
/// b: "ResNet-large" FAILED, start 2000, end 2600, exit 1, exp 1; lr=0.1 opt=sgd x=b; team=nlp; acc=0.80 loss=NaN
/// c: "bert" RUNNING, start 3000, no end or exit, exp 2; lr=0.01; team=Vision; acc=NaN
/// d: no name, FINISHED, start 4000, end 5000, exit 0, exp 1; no params, tags or metrics
/// </summary>
public sealed class PostgresRunFilterExecutionTests : IDisposable
{
    private readonly PostgresSearchTestDatabase _db = new();

    public PostgresRunFilterExecutionTests()
    {
        var a = _db.AddRun("a", "resnet-small", "FINISHED", 1000, 2000, 0);
        _db.AddParam(a, "lr", "0.01");
        _db.AddParam(a, "opt", "adam");
        _db.AddParam(a, "model.depth", "18");
        _db.AddParam(a, "x", "a");
        _db.AddTag(a, "team", "vision");
        _db.AddTag(a, "env", "Dev");
        _db.AddMetric(a, "acc", 0.95);
        _db.AddMetric(a, "loss", 0.2);

        var b = _db.AddRun("b", "ResNet-large", "FAILED", 2000, 2600, 1);
        _db.AddParam(b, "lr", "0.1");
        _db.AddParam(b, "opt", "sgd");
        _db.AddParam(b, "x", "b");
        _db.AddTag(b, "team", "nlp");
        _db.AddMetric(b, "acc", 0.80);
        _db.AddMetric(b, "loss", double.NaN);

        var c = _db.AddRun("c", "bert", "RUNNING", 3000, experimentId: 2);
        _db.AddParam(c, "lr", "0.01");
        _db.AddTag(c, "team", "Vision");
        _db.AddMetric(c, "acc", double.NaN);

        _db.AddRun("d", null, "FINISHED", 4000, 5000, 0);
    }

    public void Dispose() => _db.Dispose();

    [Fact]
    public void Empty_filter_selects_every_run()
    {
        Assert.Equal(["a", "b", "c", "d"], _db.Search(null));
    }

    [Theory]
    [InlineData("metrics.acc > 0.9", new[] { "a" })]
    [InlineData("metrics.acc < 0.9", new[] { "b" })]
    [InlineData("metrics.acc >= 0.8 AND metrics.acc <= 0.8", new[] { "b" })]
    [InlineData("metrics.acc = 0.95", new[] { "a" })]
    public void Metric_comparison_selects_runs_by_latest_value(string filter, string[] expected)
    {
        Assert.Equal(expected, _db.Search(filter));
    }

    [Fact]
    public void Not_equal_never_matches_runs_lacking_the_metric_or_holding_nan()
    {
        Assert.Equal(["b"], _db.Search("metrics.acc != 0.95"));
        Assert.Empty(_db.Search("metrics.loss != 0.2"));
    }

    [Fact]
    public void Not_equal_never_matches_runs_lacking_the_param()
    {
        Assert.Equal(["b"], _db.Search("params.opt != 'adam'"));
    }

    [Fact]
    public void Param_equality_compares_the_string()
    {
        Assert.Equal(["a", "c"], _db.Search("params.lr = '0.01'"));
        Assert.Empty(_db.Search("params.lr = '0.010'"));
    }

    [Fact]
    public void Dotted_param_key_matches_quoted_or_not()
    {
        Assert.Equal(["a"], _db.Search("params.model.depth = '18'"));
        Assert.Equal(["a"], _db.Search("params.`model.depth` = '18'"));
    }

    [Fact]
    public void Like_is_case_sensitive()
    {
        Assert.Equal(["a"], _db.Search("tags.team LIKE 'vis%'"));
        Assert.Equal(["b"], _db.Search("run_name LIKE 'ResNet%'"));
    }

    [Fact]
    public void Ilike_is_case_insensitive()
    {
        Assert.Equal(["a", "c"], _db.Search("tags.team ILIKE 'VIS%'"));
        Assert.Equal(["a", "b"], _db.Search("attributes.run_name ILIKE 'resnet%'"));
    }

    [Fact]
    public void In_and_not_in_match_list_membership_of_runs_having_the_tag()
    {
        Assert.Equal(["b", "c"], _db.Search("tags.team IN ('nlp', 'Vision')"));
        Assert.Equal(["a", "c"], _db.Search("tags.team NOT IN ('nlp')"));
    }

    [Fact]
    public void String_attributes_compare_run_columns()
    {
        Assert.Equal(["b"], _db.Search("status = 'FAILED'"));
        Assert.Equal(["a", "d"], _db.Search("attributes.status != 'FAILED' AND status != 'RUNNING'"));
        Assert.Equal(["c"], _db.Search("attributes.run_id IN ('c', 'zzz')"));
    }

    [Fact]
    public void Experiment_id_matches_as_a_string()
    {
        Assert.Equal(["c"], _db.Search("experiment_id = '2'"));
    }

    [Fact]
    public void Numeric_attributes_compare_numerically_and_skip_nulls()
    {
        Assert.Equal(["b"], _db.Search("start_time >= 2000 AND end_time < 3000"));
        Assert.Equal(["b"], _db.Search("exit_code != 0"));
        Assert.Equal(["c", "d"], _db.Search("attributes.start_time > 2.5e3"));
    }

    [Fact]
    public void Clauses_of_every_kind_combine_with_and()
    {
        Assert.Equal(["a"], _db.Search("metrics.acc > 0.5 AND params.lr = '0.01' AND tags.team = 'vision' AND status = 'FINISHED'"));
    }

    [Fact]
    public void Injection_attempt_matches_nothing_and_changes_nothing()
    {
        Assert.Equal(["a"], _db.Search("params.x = 'a'"));
        Assert.Empty(_db.Search("params.x = 'a'' OR 1=1 --'"));
        Assert.Empty(_db.Search("tags.`team' OR 1=1; DROP TABLE runs; --` = 'x'"));
        Assert.Equal(4, _db.Count("runs"));
    }

    [Fact]
    public void Metric_sort_puts_nan_and_missing_last_when_descending()
    {
        Assert.Equal(["a", "b", "c", "d"], _db.Search(null, "metrics.acc DESC"));
    }

    [Fact]
    public void Metric_sort_puts_nan_and_missing_last_when_ascending()
    {
        Assert.Equal(["b", "a", "c", "d"], _db.Search(null, "metrics.acc ASC"));
    }

    [Fact]
    public void Param_sort_orders_values_as_strings_with_missing_last()
    {
        Assert.Equal(["b", "a", "c", "d"], _db.Search(null, "params.lr DESC"));
        Assert.Equal(["a", "c", "b", "d"], _db.Search(null, "params.lr"));
    }

    [Fact]
    public void Attribute_sort_puts_nulls_last_in_both_directions()
    {
        Assert.Equal(["d", "b", "a", "c"], _db.Search(null, "end_time DESC"));
        Assert.Equal(["a", "b", "d", "c"], _db.Search(null, "attributes.end_time ASC"));
    }

    [Fact]
    public void Several_sort_terms_apply_in_order()
    {
        Assert.Equal(["b", "a", "d", "c"], _db.Search(null, "status", "metrics.acc DESC"));
    }

    [Fact]
    public void Filter_and_sort_parameters_coexist_in_one_command()
    {
        Assert.Equal(["c", "a"], _db.Search("params.lr = '0.01'", "tags.team ASC", "metrics.loss ASC"));
    }

    [Fact]
    public void Text_sorts_bytewise_whatever_the_database_collation()
    {
        // ICU en-US alone would give nlp, vision, Vision.
        Assert.Equal(["c", "b", "a", "d"], _db.Search(null, "tags.team ASC"));
    }

    [Fact]
    public void Like_has_no_escape_character_as_in_sqlite()
    {
        var e = _db.AddRun("e", "e", "FINISHED", 5000);
        _db.AddParam(e, "path", "a_b");
        var f = _db.AddRun("f", "f", "FINISHED", 6000);
        _db.AddParam(f, "path", @"a\zb");

        Assert.Equal(["f"], _db.Search(@"params.path LIKE 'a\_%'"));
        Assert.Equal(["f"], _db.Search(@"params.path ILIKE 'A\_%'"));
    }

    [Fact]
    public void A_param_longer_than_an_index_entry_is_found_by_its_whole_value()
    {
        var prefix = new string('x', 3000);
        var e = _db.AddRun("e", "e", "FINISHED", 5000);
        _db.AddParam(e, "config", prefix + "-one" + new string('y', 3000));
        var f = _db.AddRun("f", "f", "FINISHED", 6000);
        _db.AddParam(f, "config", prefix + "-two" + new string('y', 3000));

        Assert.Equal(["f"], _db.Search($"params.config = '{prefix}-two{new string('y', 3000)}'"));
        Assert.Equal(["e"], _db.Search($"params.config != '{prefix}-two{new string('y', 3000)}'"));
    }
}
