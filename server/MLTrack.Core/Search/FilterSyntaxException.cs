using System.Text;

namespace MLTrack.Core.Search;

/// <summary>
/// A filter or order_by string that does not parse. <see cref="Position"/> is the 0-based character offset of the problem;
/// <see cref="FormatWithCaret"/> shows it under the offending line.
/// </summary>
public sealed class FilterSyntaxException : Exception
{
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
    /// </summary>
    public string FormatWithCaret()
    {
        var lineStart = Position == 0 ? 0 : Filter.LastIndexOf('\n', Position - 1) + 1;
        var lineEnd = Filter.IndexOf('\n', Position);
        if (lineEnd < 0)
        {
            lineEnd = Filter.Length;
        }
        var line = Filter[lineStart..lineEnd].TrimEnd('\r');
        var caret = new StringBuilder();
        for (var i = lineStart; i < Position; i++)
        {
            caret.Append(Filter[i] == '\t' ? '\t' : ' ');
        }
        caret.Append('^');
        return line + "\n" + caret;
    }
}
