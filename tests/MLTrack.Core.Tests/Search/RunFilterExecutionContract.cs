namespace MLTrack.Core.Tests.Search;

/// <summary>
/// Runs a store's generated filter SQL against its real schema; each store runs it (SqliteRunFilterExecutionTests,
/// PostgresRunFilterExecutionTests) and must give the same results. Fixture:
/// a: "resnet-small" FINISHED, start 1000, end 2000, exit 0, exp 1; lr=0.01 opt=adam model.depth=18 x=a; team=vision env=Dev; acc=0.95 loss=0.2
/// b: "ResNet-large" FAILED, start 2000, end 2600, exit 1, exp 1; lr=0.1 opt=sgd x=b; team=nlp; acc=0.80 loss=NaN
/// c: "bert" RUNNING, start 3000, no end or exit, exp 2; lr=0.01; team=Vision; acc=NaN
/// d: no name, FINISHED, start 4000, end 5000, exit 0, exp 1; no params, tags or metrics
/// </summary>
public abstract class RunFilterExecutionContract<TRun> : IDisposable
{
    protected RunFilterExecutionContract(IRunFilterTestDatabase<TRun> db)
    {
        Db = db;
        var a = Db.AddRun("a", "resnet-small", "FINISHED", 1000, 2000, 0);
        Db.AddParam(a, "lr", "0.01");
        Db.AddParam(a, "opt", "adam");
        Db.AddParam(a, "model.depth", "18");
        Db.AddParam(a, "x", "a");
        Db.AddTag(a, "team", "vision");
        Db.AddTag(a, "env", "Dev");
        Db.AddMetric(a, "acc", 0.95);
        Db.AddMetric(a, "loss", 0.2);

        var b = Db.AddRun("b", "ResNet-large", "FAILED", 2000, 2600, 1);
        Db.AddParam(b, "lr", "0.1");
        Db.AddParam(b, "opt", "sgd");
        Db.AddParam(b, "x", "b");
        Db.AddTag(b, "team", "nlp");
        Db.AddMetric(b, "acc", 0.80);
        Db.AddMetric(b, "loss", double.NaN);

        var c = Db.AddRun("c", "bert", "RUNNING", 3000, experimentId: 2);
        Db.AddParam(c, "lr", "0.01");
        Db.AddTag(c, "team", "Vision");
        Db.AddMetric(c, "acc", double.NaN);

        Db.AddRun("d", null, "FINISHED", 4000, 5000, 0);
    }

    protected IRunFilterTestDatabase<TRun> Db { get; }

    public void Dispose()
    {
        Db.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Empty_filter_selects_every_run()
    {
        Assert.Equal(["a", "b", "c", "d"], Db.Search(null));
    }

    [Theory]
    [InlineData("metrics.acc > 0.9", new[] { "a" })]
    [InlineData("metrics.acc < 0.9", new[] { "b" })]
    [InlineData("metrics.acc >= 0.8 AND metrics.acc <= 0.8", new[] { "b" })]
    [InlineData("metrics.acc = 0.95", new[] { "a" })]
    public void Metric_comparison_selects_runs_by_latest_value(string filter, string[] expected)
    {
        Assert.Equal(expected, Db.Search(filter));
    }

    [Fact]
    public void Not_equal_never_matches_runs_lacking_the_metric_or_holding_nan()
    {
        Assert.Equal(["b"], Db.Search("metrics.acc != 0.95"));
        Assert.Empty(Db.Search("metrics.loss != 0.2"));
    }

    [Fact]
    public void Not_equal_never_matches_runs_lacking_the_param()
    {
        Assert.Equal(["b"], Db.Search("params.opt != 'adam'"));
    }

    [Fact]
    public void Param_equality_compares_the_string()
    {
        Assert.Equal(["a", "c"], Db.Search("params.lr = '0.01'"));
        Assert.Empty(Db.Search("params.lr = '0.010'"));
    }

    [Fact]
    public void Dotted_param_key_matches_quoted_or_not()
    {
        Assert.Equal(["a"], Db.Search("params.model.depth = '18'"));
        Assert.Equal(["a"], Db.Search("params.`model.depth` = '18'"));
    }

    [Fact]
    public void Like_is_case_sensitive()
    {
        Assert.Equal(["a"], Db.Search("tags.team LIKE 'vis%'"));
        Assert.Equal(["b"], Db.Search("run_name LIKE 'ResNet%'"));
    }

    [Fact]
    public void Ilike_is_case_insensitive()
    {
        Assert.Equal(["a", "c"], Db.Search("tags.team ILIKE 'VIS%'"));
        Assert.Equal(["a", "b"], Db.Search("attributes.run_name ILIKE 'resnet%'"));
    }

    [Fact]
    public void In_and_not_in_match_list_membership_of_runs_having_the_tag()
    {
        Assert.Equal(["b", "c"], Db.Search("tags.team IN ('nlp', 'Vision')"));
        Assert.Equal(["a", "c"], Db.Search("tags.team NOT IN ('nlp')"));
    }

    [Fact]
    public void String_attributes_compare_run_columns()
    {
        Assert.Equal(["b"], Db.Search("status = 'FAILED'"));
        Assert.Equal(["a", "d"], Db.Search("attributes.status != 'FAILED' AND status != 'RUNNING'"));
        Assert.Equal(["c"], Db.Search("attributes.run_id IN ('c', 'zzz')"));
    }

    [Fact]
    public void Experiment_id_matches_as_a_string()
    {
        Assert.Equal(["c"], Db.Search("experiment_id = '2'"));
    }

    [Fact]
    public void Numeric_attributes_compare_numerically_and_skip_nulls()
    {
        Assert.Equal(["b"], Db.Search("start_time >= 2000 AND end_time < 3000"));
        Assert.Equal(["b"], Db.Search("exit_code != 0"));
        Assert.Equal(["c", "d"], Db.Search("attributes.start_time > 2.5e3"));
    }

    [Fact]
    public void Clauses_of_every_kind_combine_with_and()
    {
        Assert.Equal(["a"], Db.Search("metrics.acc > 0.5 AND params.lr = '0.01' AND tags.team = 'vision' AND status = 'FINISHED'"));
    }

    [Fact]
    public void Injection_attempt_matches_nothing_and_changes_nothing()
    {
        Assert.Equal(["a"], Db.Search("params.x = 'a'"));
        Assert.Empty(Db.Search("params.x = 'a'' OR 1=1 --'"));
        Assert.Empty(Db.Search("tags.`team' OR 1=1; DROP TABLE runs; --` = 'x'"));
        Assert.Equal(4, Db.Count("runs"));
    }

    [Fact]
    public void Metric_sort_puts_nan_and_missing_last_when_descending()
    {
        Assert.Equal(["a", "b", "c", "d"], Db.Search(null, "metrics.acc DESC"));
    }

    [Fact]
    public void Metric_sort_puts_nan_and_missing_last_when_ascending()
    {
        Assert.Equal(["b", "a", "c", "d"], Db.Search(null, "metrics.acc ASC"));
    }

    [Fact]
    public void Param_sort_orders_values_as_strings_with_missing_last()
    {
        Assert.Equal(["b", "a", "c", "d"], Db.Search(null, "params.lr DESC"));
        Assert.Equal(["a", "c", "b", "d"], Db.Search(null, "params.lr"));
    }

    [Fact]
    public void Attribute_sort_puts_nulls_last_in_both_directions()
    {
        Assert.Equal(["d", "b", "a", "c"], Db.Search(null, "end_time DESC"));
        Assert.Equal(["a", "b", "d", "c"], Db.Search(null, "attributes.end_time ASC"));
    }

    [Fact]
    public void Several_sort_terms_apply_in_order()
    {
        Assert.Equal(["b", "a", "d", "c"], Db.Search(null, "status", "metrics.acc DESC"));
    }

    [Fact]
    public void Filter_and_sort_parameters_coexist_in_one_command()
    {
        Assert.Equal(["c", "a"], Db.Search("params.lr = '0.01'", "tags.team ASC", "metrics.loss ASC"));
    }
}
