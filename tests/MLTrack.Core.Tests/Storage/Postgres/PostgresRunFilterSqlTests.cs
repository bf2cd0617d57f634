using MLTrack.Core.Search;
using MLTrack.Core.Storage;
using MLTrack.Core.Storage.Postgres;

namespace MLTrack.Core.Tests.Storage.Postgres;

public class PostgresRunFilterSqlTests
{
    private static SqlFragment Where(string filter, string alias = "r") => PostgresRunFilter.Where(FilterParser.Parse(filter), alias);

    private static object?[] Values(SqlFragment fragment) => fragment.Parameters.Select(p => p.Value).ToArray();

    [Fact]
    public void Empty_filter_is_always_true_and_has_no_parameters()
    {
        var sql = Where("");
        Assert.Equal("true", sql.Sql);
        Assert.Empty(sql.Parameters);
    }

    [Fact]
    public void Metric_clause_is_an_exists_over_the_latest_value_with_nan_as_missing()
    {
        var sql = Where("metrics.acc > 0.9");
        Assert.Equal(
            "EXISTS (SELECT 1 FROM metric_latest m0 WHERE m0.run_id = r.run_id AND m0.key = @f0 AND NULLIF(m0.value, 'NaN') > @f1)",
            sql.Sql);
        Assert.Equal([new("@f0", "acc"), new("@f1", 0.9)], sql.Parameters);
    }

    [Fact]
    public void Param_clause_is_an_exists_over_params()
    {
        var sql = Where("params.lr != '0.1'");
        Assert.Equal(
            "EXISTS (SELECT 1 FROM params p0 WHERE p0.run_id = r.run_id AND p0.key = @f0 AND p0.value != @f1)",
            sql.Sql);
        Assert.Equal(["lr", "0.1"], Values(sql));
    }

    [Fact]
    public void Param_equality_also_compares_the_indexed_prefix_binding_the_value_once()
    {
        var sql = Where("params.lr = '0.1'");
        Assert.Equal(
            "EXISTS (SELECT 1 FROM params p0 WHERE p0.run_id = r.run_id AND p0.key = @f0 AND left(p0.value, 200) = left(@f1, 200) AND p0.value = @f1)",
            sql.Sql);
        Assert.Equal(["lr", "0.1"], Values(sql));
    }

    [Fact]
    public void Tag_clause_is_an_exists_over_tags()
    {
        var sql = Where("tags.team LIKE 'vis%'");
        Assert.Equal(
            "EXISTS (SELECT 1 FROM tags t0 WHERE t0.run_id = r.run_id AND t0.key = @f0 AND t0.value LIKE @f1 ESCAPE '')",
            sql.Sql);
        Assert.Equal(["team", "vis%"], Values(sql));
    }

    [Fact]
    public void Ilike_is_postgres_ilike_without_escape_character()
    {
        var sql = Where("run_name ILIKE 'Res%'");
        Assert.Equal("r.name ILIKE @f0 ESCAPE ''", sql.Sql);
        Assert.Equal(["Res%"], Values(sql));
    }

    [Fact]
    public void In_list_binds_one_parameter_per_item()
    {
        var sql = Where("params.opt NOT IN ('adam', 'sgd')");
        Assert.EndsWith("AND p0.value NOT IN (@f1, @f2))", sql.Sql, StringComparison.Ordinal);
        Assert.Equal(["opt", "adam", "sgd"], Values(sql));
    }

    [Fact]
    public void String_attribute_compares_its_runs_column()
    {
        var sql = Where("status = 'FAILED'", alias: "runs0");
        Assert.Equal("runs0.status = @f0", sql.Sql);
        Assert.Equal(["FAILED"], Values(sql));
    }

    [Fact]
    public void Experiment_id_compares_as_text()
    {
        Assert.Equal("CAST(r.experiment_id AS TEXT) IN (@f0, @f1)", Where("experiment_id IN ('1', '2')").Sql);
    }

    [Fact]
    public void Integral_numeric_attribute_binds_an_integer()
    {
        var sql = Where("attributes.start_time >= 1700000000000");
        Assert.Equal("r.start_time >= @f0", sql.Sql);
        Assert.Equal([1700000000000L], Values(sql));
    }

    [Fact]
    public void Clauses_are_anded_with_unique_parameter_names_and_aliases()
    {
        var sql = Where("metrics.a > 1 AND metrics.b < 2 AND params.c LIKE 'x' AND exit_code = 0");
        Assert.Equal(
            "EXISTS (SELECT 1 FROM metric_latest m0 WHERE m0.run_id = r.run_id AND m0.key = @f0 AND NULLIF(m0.value, 'NaN') > @f1)"
            + " AND EXISTS (SELECT 1 FROM metric_latest m1 WHERE m1.run_id = r.run_id AND m1.key = @f2 AND NULLIF(m1.value, 'NaN') < @f3)"
            + " AND EXISTS (SELECT 1 FROM params p2 WHERE p2.run_id = r.run_id AND p2.key = @f4 AND p2.value LIKE @f5 ESCAPE '')"
            + " AND r.exit_code = @f6",
            sql.Sql);
        var names = sql.Parameters.Select(p => p.Key).ToArray();
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.All(names, n => Assert.StartsWith("@f", n, StringComparison.Ordinal));
    }

    [Fact]
    public void Injection_attempt_stays_out_of_the_sql()
    {
        var sql = Where("params.x = 'a'' OR 1=1 --' AND tags.`k'; DROP TABLE runs; --` = 'v'");
        Assert.DoesNotContain("OR", sql.Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("--", sql.Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("DROP", sql.Sql, StringComparison.Ordinal);
        Assert.DoesNotContain("'", sql.Sql, StringComparison.Ordinal);
        Assert.Equal(["x", "a' OR 1=1 --", "k'; DROP TABLE runs; --", "v"], Values(sql));
    }

    [Fact]
    public void Keys_and_values_are_never_in_the_sql()
    {
        var sql = Where("metrics.secretmetric > 12345 AND params.secretparam = 'secretvalue' AND tags.secrettag IN ('secretitem')");
        foreach (var text in new[] { "secret", "12345" })
        {
            Assert.DoesNotContain(text, sql.Sql, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("r; DROP TABLE runs")]
    [InlineData("r.x")]
    [InlineData("")]
    [InlineData("1r")]
    public void Run_alias_must_be_a_plain_identifier(string alias)
    {
        Assert.Throws<ArgumentException>(() => PostgresRunFilter.Where(FilterExpression.Empty, alias));
        Assert.Throws<ArgumentException>(() => PostgresRunFilter.OrderBy(new OrderTerm(EntityKind.Attribute, "status", false), 0, alias));
    }

    [Fact]
    public void Hand_built_clause_with_a_mismatched_value_is_refused()
    {
        var filter = new FilterExpression([new FilterClause(EntityKind.Metric, "acc", ComparisonOperator.Equal, new StringValue("x"), 0)]);
        Assert.Throws<ArgumentException>(() => PostgresRunFilter.Where(filter));
    }

    [Fact]
    public void Metric_sort_left_joins_the_latest_values_and_puts_nan_and_missing_last()
    {
        var (join, order) = PostgresRunFilter.OrderBy(OrderByParser.Parse("metrics.acc DESC"), 2);
        Assert.Equal("LEFT JOIN metric_latest ob2 ON ob2.run_id = r.run_id AND ob2.key = @o2_key", join.Sql);
        Assert.Equal([new("@o2_key", "acc")], join.Parameters);
        Assert.Equal("NULLIF(ob2.value, 'NaN') DESC NULLS LAST", order);
    }

    [Fact]
    public void Param_and_tag_sorts_join_their_tables()
    {
        Assert.Equal(
            "LEFT JOIN params ob0 ON ob0.run_id = r.run_id AND ob0.key = @o0_key",
            PostgresRunFilter.OrderBy(OrderByParser.Parse("params.lr"), 0).Join.Sql);
        Assert.Equal(
            "LEFT JOIN tags ob1 ON ob1.run_id = x.run_id AND ob1.key = @o1_key",
            PostgresRunFilter.OrderBy(OrderByParser.Parse("tags.t ASC"), 1, "x").Join.Sql);
    }

    [Fact]
    public void Attribute_sort_needs_no_join_and_puts_nulls_last()
    {
        var (join, order) = PostgresRunFilter.OrderBy(OrderByParser.Parse("run_name ASC"), 0);
        Assert.Equal("", join.Sql);
        Assert.Empty(join.Parameters);
        Assert.Equal("r.name ASC NULLS LAST", order);
    }

    [Fact]
    public void Sort_key_is_a_parameter_not_sql()
    {
        var (join, order) = PostgresRunFilter.OrderBy(OrderByParser.Parse("metrics.`x'); DROP TABLE runs; --` DESC"), 0);
        Assert.DoesNotContain("DROP", join.Sql + order, StringComparison.Ordinal);
        Assert.Equal("x'); DROP TABLE runs; --", join.Parameters.Single().Value);
    }
}
