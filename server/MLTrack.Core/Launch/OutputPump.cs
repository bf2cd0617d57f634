using System.Text;

namespace MLTrack.Core.Launch;

/// <summary>
/// Moves one of the child's output streams, as raw bytes, to the terminal (unchanged, so progress bars still draw),
/// to the run log and, line by line, to a handler. Bytes are decoded as UTF-8 with replacement characters, so output
/// that is not valid UTF-8 is kept readable instead of failing the run.
/// </summary>
/// <param name="onRead">Called after each read's lines were handed on: the log has new text to flush.</param>
internal sealed class OutputPump(Stream source, OutputStreamKind kind, Stream? echo, OutputLog log, Action<OutputStreamKind, string, bool> onLine, Action onRead)
{
    public const int MaxLineChars = 64 * 1024;
    private const int ReadSize = 16 * 1024;

    private Stream? _echo = echo;

    public async Task RunAsync(CancellationToken cancel)
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
        var decoder = utf8.GetDecoder();
        var splitter = new OutputLineSplitter(MaxLineChars);
        splitter.Overflow += log.Write;
        splitter.LineEnded += (text, truncated) =>
        {
            if (truncated) log.Write("\n"); // the text itself went out through Overflow
            else log.WriteLine(text);
            onLine(kind, text, truncated);
        };
        var bytes = new byte[ReadSize];
        var chars = new char[utf8.GetMaxCharCount(ReadSize)];
        try
        {
            while (true)
            {
                var n = await source.ReadAsync(bytes, cancel).ConfigureAwait(false);
                if (n == 0) break;
                // What was read is handed on for storing before anything else (a launcher killed with -9 loses only
                // what it holds in this moment): its lines and log text to the writer, then the terminal.
                var c = decoder.GetChars(bytes, 0, n, chars, 0, flush: false);
                splitter.Feed(chars.AsSpan(0, c));
                onRead();
                Echo(bytes.AsSpan(0, n));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Stopped reading (the drain timed out, or the pipe broke): keep what arrived.
        }
        var last = decoder.GetChars([], 0, 0, chars, 0, flush: true);
        splitter.Feed(chars.AsSpan(0, last));
        splitter.Complete();
        log.Flush();
    }

    private void Echo(ReadOnlySpan<byte> data)
    {
        if (_echo is null) return;
        try
        {
            _echo.Write(data);
            _echo.Flush();
        }
        catch (IOException)
        {
            _echo = null; // our terminal went away; the run and its log carry on
        }
    }
}
