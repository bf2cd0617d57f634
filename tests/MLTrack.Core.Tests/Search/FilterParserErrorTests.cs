using MLTrack.Core.Search;

namespace MLTrack.Core.Tests.Search;

public class FilterParserErrorTests
{
    private static FilterSyntaxException AssertInvalid(string filter, int position, string reason)
    {
        var error = Assert.Throws<FilterSyntaxException>(() => FilterParser.Parse(filter));
        Assert.Equal(position, error.Position);
        Assert.Equal(filter, error.Filter);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Invalid filter at position {position}: ", error.Message, StringComparison.Ordinal);
        return error;
    }

    [Fact]
    public void Unknown_word_where_an_operator_belongs_is_reported_at_that_word()
    {
        var error = AssertInvalid("metrics.acc foo 1", 12, "expected a comparison operator but found 'foo'");
        Assert.Equal("Invalid filter at position 12: expected a comparison operator but found 'foo'", error.Message);
    }

    [Fact]
    public void Unknown_symbol_where_an_operator_belongs_is_reported_on_its_own_line_offset()
    {
        AssertInvalid("metrics.a = 1 AND\n  tags.t ~ 'x'", 27, "expected a comparison operator but found '~'");
    }

    [Theory]
    [InlineData("metrics.acc > 1 OR metrics.acc < 0")]
    [InlineData("metrics.acc > 1 or params.x = 'a'")]
    public void Or_is_rejected_at_its_position(string filter)
    {
        AssertInvalid(filter, 16, "OR is not supported");
    }

    [Theory]
    [InlineData("metrics.acc > 1 extra", 16, "expected AND or the end of the filter but found 'extra'")]
    [InlineData("metrics.acc > 1 )", 16, "expected AND or the end of the filter but found ')'")]
    public void Trailing_garbage_is_reported_where_it_starts(string filter, int position, string reason)
    {
        AssertInvalid(filter, position, reason);
    }

    [Theory]
    [InlineData("params.x = 'abc", 11)]
    [InlineData("params.x = 'a''", 11)]
    [InlineData("params.x = \"abc", 11)]
    public void Unterminated_string_is_reported_at_its_opening_quote(string filter, int position)
    {
        AssertInvalid(filter, position, "unterminated string");
    }

    [Theory]
    [InlineData("params.x IN ()", 13)]
    [InlineData("params.x IN ( )", 14)]
    [InlineData("params.x NOT IN ()", 17)]
    public void Empty_in_list_is_reported_at_its_closing_parenthesis(string filter, int position)
    {
        AssertInvalid(filter, position, "the IN list must not be empty");
    }

    [Theory]
    [InlineData("params.x IN 'a'", 12, "expected '(' to start the IN list but found the string 'a'")]
    [InlineData("params.x IN ('a' 'b')", 17, "expected ',' or ')' in the IN list but found the string 'b'")]
    [InlineData("params.x IN ('a'", 16, "expected ',' or ')' in the IN list but found end of filter")]
    [InlineData("params.x IN ('a',", 17, "expected a quoted string for params.x but found end of filter")]
    [InlineData("params.x IN ('a', )", 18, "expected a quoted string for params.x but found ')'")]
    [InlineData("params.x IN ('a', 1)", 18, "expected a quoted string for params.x but found '1'")]
    [InlineData("params.x NOT LIKE 'a'", 13, "expected IN after NOT but found 'LIKE'")]
    public void Malformed_in_list_is_reported_at_the_offending_token(string filter, int position, string reason)
    {
        AssertInvalid(filter, position, reason);
    }

    [Theory]
    [InlineData("metrics.acc >", 13, "expected a number for metrics.acc but found end of filter")]
    [InlineData("params.x = ", 11, "expected a quoted string for params.x but found end of filter")]
    [InlineData("metrics.acc > 1 AND", 19, "expected an identifier such as metrics.acc but found end of filter")]
    [InlineData("metrics.acc > 1 AND ", 20, "expected an identifier such as metrics.acc but found end of filter")]
    [InlineData("= 1", 0, "expected an identifier such as metrics.acc but found '='")]
    [InlineData("AND metrics.a = 1", 0, "expected an identifier such as metrics.acc but found 'AND'")]
    [InlineData("metrics.a = 1 AND AND metrics.b = 2", 18, "expected an identifier such as metrics.acc but found 'AND'")]
    [InlineData("metrics.a", 9, "expected a comparison operator but found end of filter")]
    public void Missing_operand_is_reported_where_it_should_be(string filter, int position, string reason)
    {
        AssertInvalid(filter, position, reason);
    }

    [Theory]
    [InlineData("attributes.colour = 'red'", 11)]
    [InlineData("colour = 'red'", 0)]
    [InlineData("metrics.acc > 1 AND attr.colour = 'x'", 25)]
    public void Unknown_attribute_is_named_at_its_position(string filter, int position)
    {
        AssertInvalid(filter, position, "unknown attribute 'colour'");
    }

    [Theory]
    [InlineData("foo.bar = 1", "unknown entity type 'foo'")]
    [InlineData("datasets.name = 'x'", "unknown entity type 'datasets'")]
    public void Unknown_entity_prefix_is_reported_at_the_identifier(string filter, string reason)
    {
        AssertInvalid(filter, 0, reason);
    }

    [Theory]
    [InlineData("metrics. > 1", 8, "expected a key after 'metrics.' but found ' '")]
    [InlineData("metrics.`` > 1", 8, "the key after 'metrics.' must not be empty")]
    [InlineData("metrics.`acc > 1", 8, "unterminated string")]
    [InlineData("metrics > 1", 7, "expected '.' and a key after 'metrics'")]
    public void Malformed_key_is_reported_where_the_key_belongs(string filter, int position, string reason)
    {
        AssertInvalid(filter, position, reason);
    }

    [Theory]
    [InlineData("metrics.acc > 'high'", 14, "expected a number for metrics.acc but found the string 'high'")]
    [InlineData("start_time = 'yesterday'", 13, "expected a number for attributes.start_time")]
    [InlineData("metrics.a = -", 12, "expected a number for metrics.a but found '-'")]
    [InlineData("metrics.a == 1", 11, "expected a number for metrics.a but found '='")]
    public void Non_number_for_a_numeric_entity_is_reported_at_the_value(string filter, int position, string reason)
    {
        AssertInvalid(filter, position, reason);
    }

    [Theory]
    [InlineData("params.lr = 0.01", 12, "expected a quoted string for params.lr but found '0.01'")]
    [InlineData("status = FINISHED", 9, "expected a quoted string for attributes.status but found 'FINISHED'")]
    [InlineData("tags.t = `x`", 9, "expected a quoted string for tags.t but found the string `x`")]
    public void Unquoted_value_for_a_string_entity_is_reported_at_the_value(string filter, int position, string reason)
    {
        AssertInvalid(filter, position, reason);
    }

    [Theory]
    [InlineData("metrics.a = 1.2.3", "invalid number '1.2.3'")]
    [InlineData("metrics.a = 1e", "invalid number '1e'")]
    [InlineData("metrics.a = 12abc", "invalid number '12abc'")]
    [InlineData("metrics.a = 1e999", "number '1e999' is out of range")]
    public void Malformed_number_is_reported_at_its_start(string filter, string reason)
    {
        AssertInvalid(filter, 12, reason);
    }

    [Theory]
    [InlineData("metrics.acc LIKE '0.9%'", 12, "operator 'LIKE' is not supported for metrics.acc")]
    [InlineData("end_time IN ('1')", 9, "operator 'IN' is not supported for attributes.end_time")]
    [InlineData("params.lr > '0.1'", 10, "operator '>' is not supported for params.lr")]
    [InlineData("tags.t <= 'b'", 7, "operator '<=' is not supported for tags.t")]
    [InlineData("run_name < 'b'", 9, "operator '<' is not supported for attributes.run_name")]
    public void Operator_that_does_not_fit_the_entity_is_reported_at_the_operator(string filter, int position, string reason)
    {
        AssertInvalid(filter, position, reason);
    }
}
