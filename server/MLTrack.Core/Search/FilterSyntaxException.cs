using System.Text;

namespace MLTrack.Core.Search;

/// <summary>
/// A filter or order_by string that does not parse. <see cref="Position"/> is the 0-based character offset of the problem;
/// <see cref="FormatWithCaret"/> shows it under the offending line.
/// </summary>
public sealed class FilterSyntaxException : Exception
{
    /// <summary>Characters shown on each side of the caret; a longer line is cut there, marked with '…'.</summary>
    private const int CaretContext = 60;

    public FilterSyntaxException(string filter, int position, string reason, string subject = "filter")
        : base($"Invalid {subject} at position {position}: {reason}")
    {
        ArgumentNullException.ThrowIfNull(filter);
        Filter = filter;
        Position = Math.Clamp(position, 0, filter.Length);
        Reason = reason;
    }

    /// <summary>0-based character offset into <see cref="Filter"/>; equals its length when the text ended too soon.</summary>
    public int Position { get; }

    /// <summary>The text that failed to parse.</summary>
    public string Filter { get; }

    /// <summary>The message without the "Invalid filter at position N:" prefix.</summary>
    public string Reason { get; }

    /// <summary>
    /// The line of <see cref="Filter"/> holding <see cref="Position"/>, with a caret line under it:
    /// <code>
    /// metrics.acc foo 1
    ///             ^
    /// </code>
    /// A long line (a generated 2,000-clause filter) is cut to <see cref="CaretContext"/> characters on each side.
    /// </summary>
    public string FormatWithCaret()
    {
        var lineStart = Position == 0 ? 0 : Filter.LastIndexOf('\n', Position - 1) + 1;
        var lineEnd = Filter.IndexOf('\n', Position);
        if (lineEnd < 0)
        {
            lineEnd = Filter.Length;
        }
        var from = Math.Max(lineStart, Position - CaretContext);
        var to = Math.Min(lineEnd, Position + CaretContext);
        var line = (from > lineStart ? "…" : "") + Filter[from..to].TrimEnd('\r') + (to < lineEnd ? "…" : "");
        var caret = new StringBuilder(from > lineStart ? " " : "");
        for (var i = from; i < Position; i++)
        {
            caret.Append(Filter[i] == '\t' ? '\t' : ' ');
        }
        caret.Append('^');
        return line + "\n" + caret;
    }
}
