using MLTrack.Core.Search;

namespace MLTrack.Core.Tests.Search;

public class FilterParserTests
{
    private static FilterClause Single(string filter) => Assert.Single(FilterParser.Parse(filter).Clauses);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \t\n ")]
    public void Null_or_blank_filter_has_no_clauses(string? filter)
    {
        Assert.Empty(FilterParser.Parse(filter).Clauses);
    }

    [Fact]
    public void Metric_comparison_parses_to_a_number_clause()
    {
        Assert.Equal(
            new FilterClause(EntityKind.Metric, "acc", ComparisonOperator.GreaterThan, new NumberValue(0.9), 0),
            Single("metrics.acc > 0.9"));
    }

    [Theory]
    [InlineData("=", ComparisonOperator.Equal)]
    [InlineData("!=", ComparisonOperator.NotEqual)]
    [InlineData("<", ComparisonOperator.LessThan)]
    [InlineData("<=", ComparisonOperator.LessThanOrEqual)]
    [InlineData(">", ComparisonOperator.GreaterThan)]
    [InlineData(">=", ComparisonOperator.GreaterThanOrEqual)]
    public void Every_numeric_comparator_is_recognised(string symbol, ComparisonOperator expected)
    {
        Assert.Equal(expected, Single($"metrics.loss {symbol} 1").Op);
    }

    [Theory]
    [InlineData("1", 1d)]
    [InlineData("-2", -2d)]
    [InlineData("+3.5", 3.5d)]
    [InlineData(".5", 0.5d)]
    [InlineData("5.", 5d)]
    [InlineData("1e-4", 1e-4)]
    [InlineData("-2.5E+3", -2500d)]
    public void Number_literals_accept_sign_fraction_and_exponent(string literal, double expected)
    {
        Assert.Equal(new NumberValue(expected), Single($"metrics.x = {literal}").Value);
    }

    [Fact]
    public void Operators_need_no_surrounding_spaces()
    {
        Assert.Equal(
            new FilterClause(EntityKind.Metric, "acc", ComparisonOperator.GreaterThanOrEqual, new NumberValue(-1), 0),
            Single("metrics.acc>=-1"));
    }

    [Fact]
    public void Param_equality_parses_to_a_string_clause()
    {
        Assert.Equal(
            new FilterClause(EntityKind.Param, "lr", ComparisonOperator.Equal, new StringValue("0.01"), 0),
            Single("params.lr = '0.01'"));
    }

    [Fact]
    public void Tag_values_may_be_double_quoted()
    {
        Assert.Equal(
            new FilterClause(EntityKind.Tag, "team", ComparisonOperator.NotEqual, new StringValue("vision"), 0),
            Single("tags.team != \"vision\""));
    }

    [Fact]
    public void Doubled_quote_inside_a_string_is_one_quote()
    {
        Assert.Equal(new StringValue("a'b"), Single("params.x = 'a''b'").Value);
        Assert.Equal(new StringValue("say \"hi\""), Single("params.x = \"say \"\"hi\"\"\"").Value);
    }

    [Fact]
    public void Other_quote_kind_inside_a_string_is_literal()
    {
        Assert.Equal(new StringValue("it's"), Single("params.x = \"it's\"").Value);
    }

    [Fact]
    public void Injection_attempt_is_just_a_string_value()
    {
        Assert.Equal(
            new FilterClause(EntityKind.Param, "x", ComparisonOperator.Equal, new StringValue("a' OR 1=1 --"), 0),
            Single("params.x = 'a'' OR 1=1 --'"));
    }

    [Theory]
    [InlineData("LIKE", ComparisonOperator.Like)]
    [InlineData("like", ComparisonOperator.Like)]
    [InlineData("ILIKE", ComparisonOperator.ILike)]
    [InlineData("iLike", ComparisonOperator.ILike)]
    public void Like_and_ilike_are_case_insensitive_keywords(string keyword, ComparisonOperator expected)
    {
        var clause = Single($"tags.model {keyword} 'res%'");
        Assert.Equal(expected, clause.Op);
        Assert.Equal(new StringValue("res%"), clause.Value);
    }

    [Fact]
    public void In_list_parses_to_a_string_list()
    {
        Assert.Equal(
            new FilterClause(EntityKind.Param, "opt", ComparisonOperator.In, new StringListValue(["adam", "sgd", "it's"]), 0),
            Single("params.opt IN ('adam', \"sgd\",'it''s')"));
    }

    [Fact]
    public void Not_in_list_parses_with_any_spacing_and_case()
    {
        Assert.Equal(
            new FilterClause(EntityKind.Tag, "env", ComparisonOperator.NotIn, new StringListValue(["dev"]), 0),
            Single("tags.env not   In('dev')"));
    }

    [Fact]
    public void Clauses_are_joined_by_and_in_any_case()
    {
        var clauses = FilterParser.Parse("metrics.acc > 0.9 and params.model = 'cnn' AND tags.team = 'a' AnD status = 'FINISHED'").Clauses;
        Assert.Equal(
            [
                new FilterClause(EntityKind.Metric, "acc", ComparisonOperator.GreaterThan, new NumberValue(0.9), 0),
                new FilterClause(EntityKind.Param, "model", ComparisonOperator.Equal, new StringValue("cnn"), 22),
                new FilterClause(EntityKind.Tag, "team", ComparisonOperator.Equal, new StringValue("a"), 47),
                new FilterClause(EntityKind.Attribute, "status", ComparisonOperator.Equal, new StringValue("FINISHED"), 67),
            ],
            clauses);
    }

    [Fact]
    public void Clause_position_is_the_offset_of_its_identifier()
    {
        var clauses = FilterParser.Parse("  metrics.a = 1   AND\tparams.b = 'x'").Clauses;
        Assert.Equal([2, 22], clauses.Select(c => c.Position));
    }

    [Theory]
    [InlineData("metrics.acc = 1", EntityKind.Metric)]
    [InlineData("metric.acc = 1", EntityKind.Metric)]
    [InlineData("params.acc = '1'", EntityKind.Param)]
    [InlineData("param.acc = '1'", EntityKind.Param)]
    [InlineData("parameters.acc = '1'", EntityKind.Param)]
    [InlineData("tags.acc = '1'", EntityKind.Tag)]
    [InlineData("tag.acc = '1'", EntityKind.Tag)]
    [InlineData("METRICS.acc = 1", EntityKind.Metric)]
    public void Entity_prefixes_accept_mlflow_aliases(string filter, EntityKind expected)
    {
        var clause = Single(filter);
        Assert.Equal(expected, clause.Entity);
        Assert.Equal("acc", clause.Key);
    }

    [Theory]
    [InlineData("attributes.status = 'RUNNING'")]
    [InlineData("attribute.status = 'RUNNING'")]
    [InlineData("attr.status = 'RUNNING'")]
    [InlineData("run.status = 'RUNNING'")]
    [InlineData("status = 'RUNNING'")]
    [InlineData("Status = 'RUNNING'")]
    [InlineData("attributes.`status` = 'RUNNING'")]
    public void Attribute_may_be_prefixed_with_any_alias_or_bare(string filter)
    {
        Assert.Equal(
            new FilterClause(EntityKind.Attribute, "status", ComparisonOperator.Equal, new StringValue("RUNNING"), 0),
            Single(filter));
    }

    [Fact]
    public void Key_may_contain_dots_after_the_prefix()
    {
        var clause = Single("params.model.depth = '3'");
        Assert.Equal((EntityKind.Param, "model.depth"), (clause.Entity, clause.Key));
    }

    [Fact]
    public void Unquoted_key_may_contain_slashes_dashes_and_colons()
    {
        Assert.Equal("train/val-loss:ema", Single("metrics.train/val-loss:ema < 1").Key);
    }

    [Fact]
    public void Back_quoted_key_may_contain_spaces_and_operators()
    {
        Assert.Equal(
            new FilterClause(EntityKind.Metric, "val loss >= x", ComparisonOperator.LessThan, new NumberValue(0.5), 0),
            Single("metrics.`val loss >= x` < 0.5"));
    }

    [Fact]
    public void Double_quoted_key_may_contain_spaces()
    {
        Assert.Equal(
            new FilterClause(EntityKind.Param, "a b", ComparisonOperator.Equal, new StringValue("c"), 0),
            Single("params.\"a b\" = 'c'"));
    }

    [Fact]
    public void Keys_keep_their_case()
    {
        Assert.Equal("Val_Acc", Single("metrics.Val_Acc > 0").Key);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("run_name")]
    [InlineData("run_id")]
    [InlineData("user_id")]
    [InlineData("experiment_id")]
    [InlineData("artifact_uri")]
    [InlineData("source_file")]
    [InlineData("command")]
    [InlineData("git_commit")]
    [InlineData("git_branch")]
    [InlineData("host")]
    [InlineData("parent_run_id")]
    [InlineData("lifecycle_stage")]
    public void String_attributes_take_string_values(string name)
    {
        Assert.Equal(
            new FilterClause(EntityKind.Attribute, name, ComparisonOperator.Like, new StringValue("x%"), 0),
            Single($"attributes.{name} LIKE 'x%'"));
    }

    [Theory]
    [InlineData("start_time")]
    [InlineData("end_time")]
    [InlineData("exit_code")]
    public void Numeric_attributes_take_number_values(string name)
    {
        Assert.Equal(
            new FilterClause(EntityKind.Attribute, name, ComparisonOperator.GreaterThanOrEqual, new NumberValue(1700000000000), 0),
            Single($"attributes.{name} >= 1700000000000"));
    }

    [Fact]
    public void Created_is_an_alias_of_start_time()
    {
        Assert.Equal("start_time", Single("created > 5").Key);
    }

    [Fact]
    public void Run_id_accepts_an_in_list()
    {
        Assert.Equal(
            new FilterClause(EntityKind.Attribute, "run_id", ComparisonOperator.In, new StringListValue(["a1", "b2"]), 0),
            Single("attributes.run_id IN ('a1', 'b2')"));
    }

    [Fact]
    public void Keyword_like_words_are_fine_inside_keys_and_values()
    {
        var clauses = FilterParser.Parse("params.and = 'or' AND tags.`OR` = 'AND'").Clauses;
        Assert.Equal([("and", "or"), ("OR", "AND")], clauses.Select(c => (c.Key, ((StringValue)c.Value).Value)));
    }
}
