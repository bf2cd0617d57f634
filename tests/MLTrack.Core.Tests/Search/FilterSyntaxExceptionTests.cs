using MLTrack.Core.Search;

namespace MLTrack.Core.Tests.Search;

public class FilterSyntaxExceptionTests
{
    [Fact]
    public void Caret_points_at_the_position_under_the_filter()
    {
        var error = Assert.Throws<FilterSyntaxException>(() => FilterParser.Parse("metrics.acc foo 1"));
        Assert.Equal("metrics.acc foo 1\n            ^", error.FormatWithCaret());
    }

    [Fact]
    public void Caret_after_the_last_character_marks_a_filter_that_ended_too_soon()
    {
        var error = Assert.Throws<FilterSyntaxException>(() => FilterParser.Parse("metrics.acc >"));
        Assert.Equal("metrics.acc >\n             ^", error.FormatWithCaret());
    }

    [Fact]
    public void Caret_shows_only_the_line_holding_the_position()
    {
        var error = Assert.Throws<FilterSyntaxException>(() => FilterParser.Parse("metrics.a = 1 AND\r\n  tags.t ~ 'x'"));
        Assert.Equal("  tags.t ~ 'x'\n         ^", error.FormatWithCaret());
    }

    [Fact]
    public void Caret_line_keeps_tabs_so_it_lines_up()
    {
        var error = Assert.Throws<FilterSyntaxException>(() => FilterParser.Parse("\tmetrics.a ? 1"));
        Assert.Equal("\tmetrics.a ? 1\n\t          ^", error.FormatWithCaret());
    }

    [Fact]
    public void Reason_is_the_message_without_the_position_prefix()
    {
        var error = Assert.Throws<FilterSyntaxException>(() => FilterParser.Parse("metrics.a > 1 OR metrics.b > 1"));
        Assert.Equal("OR is not supported; combine conditions with AND", error.Reason);
    }
}
