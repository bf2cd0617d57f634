using MLTrack.Core.Launch;

namespace MLTrack.Core.Tests.Launch;

public class OutputLineSplitterTests
{
    private static (List<(string, bool)> Lines, List<string> Overflow) Split(int cap, params string[] chunks)
    {
        var lines = new List<(string, bool)>();
        var overflow = new List<string>();
        var splitter = new OutputLineSplitter(cap);
        splitter.LineEnded += (text, truncated) => lines.Add((text, truncated));
        splitter.Overflow += overflow.Add;
        foreach (var c in chunks) splitter.Feed(c);
        splitter.Complete();
        return (lines, overflow);
    }

    [Fact]
    public void Lines_split_across_chunks_are_joined()
    {
        var (lines, _) = Split(100, "lo", "ss=1\nac", "c=2\n");
        Assert.Equal([("loss=1", false), ("acc=2", false)], lines);
    }

    [Fact]
    public void A_last_line_without_newline_still_ends()
    {
        var (lines, _) = Split(100, "a\nb");
        Assert.Equal([("a", false), ("b", false)], lines);
    }

    [Fact]
    public void An_overlong_line_passes_through_whole_and_ends_truncated()
    {
        var (lines, overflow) = Split(4, "abc", "defgh", "ij\nok\n");
        Assert.Equal("abcdefghij", string.Concat(overflow));
        Assert.Equal([("abcd", true), ("ok", false)], lines);
    }
}
