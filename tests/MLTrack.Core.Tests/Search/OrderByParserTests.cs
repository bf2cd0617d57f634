using MLTrack.Core.Search;

namespace MLTrack.Core.Tests.Search;

public class OrderByParserTests
{
    [Theory]
    [InlineData("metrics.acc DESC", EntityKind.Metric, "acc", true)]
    [InlineData("metrics.acc desc", EntityKind.Metric, "acc", true)]
    [InlineData("params.lr", EntityKind.Param, "lr", false)]
    [InlineData("tags.team ASC", EntityKind.Tag, "team", false)]
    [InlineData("attributes.start_time ASC", EntityKind.Attribute, "start_time", false)]
    [InlineData("start_time", EntityKind.Attribute, "start_time", false)]
    [InlineData("  run_name   Desc  ", EntityKind.Attribute, "run_name", true)]
    [InlineData("attr.created DESC", EntityKind.Attribute, "start_time", true)]
    [InlineData("metrics.`val loss` DESC", EntityKind.Metric, "val loss", true)]
    [InlineData("params.model.depth", EntityKind.Param, "model.depth", false)]
    public void Term_parses_to_entity_key_and_direction(string text, EntityKind entity, string key, bool descending)
    {
        Assert.Equal(new OrderTerm(entity, key, descending), OrderByParser.Parse(text));
    }

    [Theory]
    [InlineData("metrics.acc DOWN", 12, "expected ASC, DESC or the end of the term but found 'DOWN'")]
    [InlineData("metrics.acc DESC ASC", 17, "expected the end of the term but found 'ASC'")]
    [InlineData("colour DESC", 0, "unknown attribute 'colour'")]
    [InlineData("attributes.colour", 11, "unknown attribute 'colour'")]
    [InlineData("", 0, "expected an identifier such as metrics.acc but found end of order_by clause")]
    [InlineData("metrics.", 8, "expected a key after 'metrics.' but found end of order_by clause")]
    [InlineData("metrics.`acc DESC", 8, "unterminated string")]
    public void Invalid_term_is_reported_at_its_position(string text, int position, string reason)
    {
        var error = Assert.Throws<FilterSyntaxException>(() => OrderByParser.Parse(text));
        Assert.Equal(position, error.Position);
        Assert.Equal(text, error.Filter);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Invalid order_by clause at position {position}: ", error.Message, StringComparison.Ordinal);
    }
}
