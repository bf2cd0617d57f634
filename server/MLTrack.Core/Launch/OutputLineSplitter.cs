using System.Text;

namespace MLTrack.Core.Launch;

/// <summary>
/// Cuts one decoded output stream into lines while holding at most <c>maxLineChars</c> of a line in memory, so a
/// process that prints megabytes without a newline cannot grow the launcher. A line over the cap is handed on in pieces
/// as it arrives (for the log) and its end is reported as truncated (not to be parsed).
/// </summary>
internal sealed class OutputLineSplitter(int maxLineChars)
{
    private readonly StringBuilder _line = new();
    private bool _overflowing;

    /// <summary>Text of an overlong line to pass on as it is (the log still gets every character).</summary>
    public event Action<string>? Overflow;

    /// <summary>
    /// A line ended. For a normal line: its text without the newline, truncated = false.
    /// For an overlong line: its first <c>maxLineChars</c> characters (already passed through <see cref="Overflow"/>
    /// with the rest), truncated = true.
    /// </summary>
    public event Action<string, bool>? LineEnded;

    public void Feed(ReadOnlySpan<char> chars)
    {
        while (!chars.IsEmpty)
        {
            var nl = chars.IndexOf('\n');
            var part = nl < 0 ? chars : chars[..nl];
            if (!_overflowing && _line.Length + part.Length > maxLineChars)
            {
                _overflowing = true;
                Overflow?.Invoke(_line.ToString());
                var room = maxLineChars - _line.Length;
                _line.Append(part[..room]); // keep the head for the line-ended notice
            }
            if (_overflowing) Overflow?.Invoke(part.ToString());
            else _line.Append(part);
            if (nl < 0) return;
            EndLine();
            chars = chars[(nl + 1)..];
        }
    }

    /// <summary>The stream ended: a last line without newline still counts as a line.</summary>
    public void Complete()
    {
        if (_overflowing || _line.Length > 0) EndLine();
    }

    private void EndLine()
    {
        var text = _line.ToString();
        var truncated = _overflowing;
        _line.Clear();
        _overflowing = false;
        if (_line.Capacity > 4 * 1024) _line.Capacity = 256; // give back a big line's buffer
        LineEnded?.Invoke(text, truncated);
    }
}
