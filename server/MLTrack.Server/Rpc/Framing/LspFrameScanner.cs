using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MLTrack.Server.Rpc.Framing;

/// <summary>
/// Finds LSP frames (<c>Content-Length: N\r\n\r\n</c> and N bytes of JSON) at the start of the bytes read so far and,
/// after a bad one, resynchronises on the next <c>Content-Length:</c> header, so one garbled frame costs one error
/// answer and never the connection. Pure: no I/O; <see cref="LspMessageHandler"/> feeds it.
/// <list type="bullet">
/// <item>A bad header (missing, <c>-1</c>, <c>abc</c>, over the size limit, bare LF, garbage) is reported at once and
/// scanning resumes one byte after its start, so a valid frame glued to the garbage is still found.</item>
/// <item>A body that is not JSON (a too-small Content-Length leaves it truncated; a too-large one swallows the next
/// frame) is reported and scanning resumes at the body's start: a header inside it is where the next frame begins.</item>
/// <item>A too-large Content-Length with the rest not arrived yet is caught while waiting: once the body's JSON value is
/// complete and anything but whitespace follows it (or nothing more comes, <c>stalled</c>), the frame is bad.</item>
/// </list>
/// </summary>
internal sealed class LspFrameScanner(int maxBodyBytes)
{
    public const int MaxHeaderBytes = 8 * 1024;

    private static ReadOnlySpan<byte> ContentLength => "Content-Length:"u8;
    private static ReadOnlySpan<byte> Whitespace => " \t\r\n"u8;

    // RFC 7230 token characters: what a header name may contain.
    private static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private bool _resyncing;
    private long _skipped;

    // The JSON check of the body of the frame at the start of the buffer, kept while that body is incomplete.
    private int _checked;
    private JsonReaderState _json;
    private int _valueEnd = -1;

    /// <summary>Skip to the next Content-Length header: the caller found the body of the last frame not to be JSON.</summary>
    public void Resync()
    {
        _resyncing = true;
        _skipped = 0;
        ResetBody();
    }

    public ScanResult Next(ReadOnlySpan<byte> data, bool stalled)
    {
        int skipped = 0;
        if (_resyncing)
        {
            int at = IndexOfHeader(data);
            if (at < 0)
            {
                // Keep a tail that may be the start of a header split across reads.
                int drop = Math.Max(0, data.Length - (ContentLength.Length - 1));
                _skipped += drop;
                return _skipped > maxBodyBytes ? Unrecoverable() : ScanResult.More(drop, mayStall: false);
            }
            _skipped += at;
            if (_skipped > maxBodyBytes) return Unrecoverable();
            _resyncing = false;
            _skipped = 0;
            skipped = at;
            data = data[at..];
        }
        var r = ScanFrame(data, stalled);
        if (r.Kind != ScanKind.NeedMore || r.Consumed > 0) ResetBody();
        return skipped == 0 ? r : r with { Consumed = r.Consumed + skipped, BodyStart = r.BodyStart + skipped };
    }

    private ScanResult ScanFrame(ReadOnlySpan<byte> data, bool stalled)
    {
        if (data.IsEmpty) return ScanResult.More(0, mayStall: false);
        var problem = ParseHeader(data, out int headerLength, out int length, out int resumeAt);
        if (problem is not null) return BadHeader(problem, resumeAt);
        if (headerLength == 0)
            return stalled ? BadHeader($"the header '{Preview(data)}' is incomplete and nothing more arrived") : ScanResult.More(0, mayStall: true);
        if (data.Length - headerLength >= length) return new(ScanKind.Frame, headerLength + length, headerLength, length);
        return ScanPartialBody(data[headerLength..], headerLength, length, stalled);
    }

    /// <summary>The body has not fully arrived: wait for it unless what did arrive already shows the frame is bad.</summary>
    private ScanResult ScanPartialBody(ReadOnlySpan<byte> body, int headerLength, int length, bool stalled)
    {
        if (_valueEnd < 0)
        {
            var reader = new Utf8JsonReader(body[_checked..], isFinalBlock: false, _json);
            try
            {
                while (reader.Read())
                {
                    if (JsonValues.EndsTopLevelValue(ref reader))
                    {
                        _valueEnd = _checked + (int)reader.BytesConsumed;
                        break;
                    }
                }
            }
            catch (JsonException)
            {
                StartResync();
                return new(ScanKind.Bad, headerLength, Code: RpcErrorCodes.ParseError,
                    Message: $"Malformed frame: the body (Content-Length {length}) is not JSON; skipped to the next 'Content-Length:' header.");
            }
            if (_valueEnd < 0)
            {
                _checked += (int)reader.BytesConsumed;
                _json = reader.CurrentState;
                return ScanResult.More(0, mayStall: false);
            }
        }
        if (body[_valueEnd..].IndexOfAnyExcept(Whitespace) < 0 && !stalled) return ScanResult.More(0, mayStall: true);
        StartResync();
        return new(ScanKind.Bad, headerLength + _valueEnd, headerLength, _valueEnd, Code: RpcErrorCodes.InvalidRequest,
            Message: TooLarge(length, _valueEnd));
    }

    public static string TooLarge(int declared, int actual) =>
        $"Malformed frame: Content-Length {declared} is larger than the message ({actual} bytes of JSON); the message was not run.";

    private ScanResult BadHeader(string problem, int resumeAt = 1)
    {
        StartResync();
        return new(ScanKind.Bad, resumeAt, Code: RpcErrorCodes.InvalidRequest,
            Message: $"Malformed frame: {problem}; skipped to the next 'Content-Length:' header.");
    }

    private ScanResult Unrecoverable() => new(ScanKind.Fatal, 0,
        Message: $"no 'Content-Length:' header in {maxBodyBytes / (1024 * 1024)} MiB of input after a malformed frame: the input is not LSP-framed JSON-RPC");

    private void StartResync()
    {
        _resyncing = true;
        _skipped = 0;
    }

    private void ResetBody()
    {
        _checked = 0;
        _json = default;
        _valueEnd = -1;
    }

    /// <summary>
    /// Parses the header block at the start of <paramref name="data"/>. Returns a problem, or null with
    /// <paramref name="headerLength"/> 0 while it is incomplete (and nothing seen so far is wrong). After a problem,
    /// <paramref name="resumeAt"/> is where to look for the next header: one byte on (garbage may hide a frame), or
    /// past the offending line once a Content-Length line has shown this is a real header.
    /// </summary>
    private string? ParseHeader(ReadOnlySpan<byte> data, out int headerLength, out int contentLength, out int resumeAt)
    {
        resumeAt = 1;
        headerLength = 0;
        contentLength = -1;
        int pos = 0;
        while (true)
        {
            if (pos > MaxHeaderBytes) return $"the header is longer than {MaxHeaderBytes} bytes";
            var rest = data[pos..];
            int eol = rest.IndexOfAny((byte)'\r', (byte)'\n');
            if (eol < 0 || (rest[eol] == '\r' && eol + 1 == rest.Length))
            {
                // The line has not fully arrived: refuse now only what more bytes cannot mend.
                var partial = eol < 0 ? rest : rest[..eol];
                if (partial.Length > MaxHeaderBytes) return $"the header is longer than {MaxHeaderBytes} bytes";
                return CheckLine(data, partial, complete: false, ref contentLength);
            }
            if (rest[eol] == '\n' || rest[eol + 1] != '\n')
            {
                // Say what is wrong with the line itself first: random bytes are not "a header with a bad line end".
                var lineProblem = eol == 0 ? null : CheckLine(data, rest[..eol], complete: true, ref contentLength);
                return lineProblem ?? (rest[eol] == '\n'
                    ? $"header lines must end with CRLF (\\r\\n), got a bare LF after '{Preview(data[..(pos + eol)])}'"
                    : $"a CR in the header is not followed by LF: '{Preview(data)}'");
            }
            if (eol == 0)
            {
                if (pos == 0) return "expected a 'Content-Length: <bytes>' header, got an empty line";
                if (contentLength < 0) return "the header has no Content-Length";
                headerLength = pos + 2;
                return null;
            }
            bool hadLength = contentLength >= 0;
            var problem = CheckLine(data, rest[..eol], complete: true, ref contentLength);
            if (problem is not null)
            {
                if (hadLength) resumeAt = pos + eol + 2;
                return problem;
            }
            pos += eol + 2;
        }
    }

    /// <summary>One header line (without its CRLF); <paramref name="complete"/> false: only a prefix has arrived.</summary>
    private string? CheckLine(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> line, bool complete, ref int contentLength)
    {
        int colon = line.IndexOfAnyExcept(TokenChars);
        if (colon < 0) return complete ? NotAHeader(frame) : null;
        if (line[colon] != ':' || colon == 0) return NotAHeader(frame);
        var name = line[..colon];
        var value = line[(colon + 1)..];
        foreach (var b in value)
        {
            if (b is < 0x20 and not (byte)'\t' or 0x7f) return $"the header '{Preview(frame)}' holds a control character";
        }
        if (Ascii.EqualsIgnoreCase(name, ContentLength[..^1]))
        {
            if (contentLength >= 0) return "the header has two Content-Length lines";
            var text = value.Trim(" \t"u8);
            return complete ? ParseLength(text, ref contentLength) : CheckPartialLength(value.TrimStart(" \t"u8));
        }
        if (complete && Ascii.EqualsIgnoreCase(name, "Content-Type"u8)) return CheckContentType(value);
        return null;
    }

    private string? ParseLength(ReadOnlySpan<byte> text, ref int contentLength)
    {
        var shown = Preview(text);
        if (text.IsEmpty) return "Content-Length has no value";
        if (text[0] == '-' && text.Length > 1 && text[1..].IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0)
            return $"Content-Length must be a positive number of bytes, got {shown}";
        if (text.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0) return $"Content-Length must be a number of bytes, got '{shown}'";
        long n = 0;
        foreach (var d in text)
        {
            n = n * 10 + (d - '0');
            if (n > maxBodyBytes) return $"Content-Length {shown} is over the limit of {maxBodyBytes} bytes ({maxBodyBytes / (1024 * 1024)} MiB)";
        }
        if (n == 0) return "Content-Length must be at least 1 (a frame carries one JSON message)";
        contentLength = (int)n;
        return null;
    }

    /// <summary>A Content-Length value still arriving: digits, then perhaps trailing blanks.</summary>
    private string? CheckPartialLength(ReadOnlySpan<byte> text)
    {
        int digits = text.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        var number = digits < 0 ? text : text[..digits];
        if (digits >= 0 && text[digits..].IndexOfAnyExcept(" \t"u8) >= 0)
        {
            int end = text.IndexOfAny((byte)'\r', (byte)'\n');
            var seen = end < 0 ? text : text[..end];
            return seen.Length > 0 && seen[0] == '-'
                ? $"Content-Length must be a positive number of bytes, got {Preview(seen)}"
                : $"Content-Length must be a number of bytes, got '{Preview(seen)}'";
        }
        long n = 0;
        foreach (var d in number)
        {
            n = n * 10 + (d - '0');
            if (n > maxBodyBytes) return $"Content-Length {Preview(number)}… is over the limit of {maxBodyBytes} bytes ({maxBodyBytes / (1024 * 1024)} MiB)";
        }
        return null;
    }

    private static string? CheckContentType(ReadOnlySpan<byte> value)
    {
        var text = Encoding.ASCII.GetString(value);
        foreach (var part in text.Split(';'))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length == 2 && kv[0].Equals("charset", StringComparison.OrdinalIgnoreCase)
                && !kv[1].Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !kv[1].Trim('"').Equals("utf8", StringComparison.OrdinalIgnoreCase))
                return $"only UTF-8 bodies are understood, the Content-Type says charset={kv[1]}";
        }
        return null;
    }

    private static string NotAHeader(ReadOnlySpan<byte> frame) => $"expected a 'Content-Length: <bytes>' header, got '{Preview(frame)}'";

    /// <summary>Where the next <c>Content-Length:</c> header (any case) starts, or -1.</summary>
    private static int IndexOfHeader(ReadOnlySpan<byte> data)
    {
        int i = 0;
        while (true)
        {
            int c = data[i..].IndexOfAny((byte)'C', (byte)'c');
            if (c < 0) return -1;
            i += c;
            if (data.Length - i < ContentLength.Length) return -1;
            if (Ascii.EqualsIgnoreCase(data.Slice(i, ContentLength.Length), ContentLength)) return i;
            i++;
        }
    }

    /// <summary>The first bytes of <paramref name="bytes"/> as printable text, for error messages.</summary>
    public static string Preview(ReadOnlySpan<byte> bytes, int max = 32)
    {
        var sb = new StringBuilder();
        foreach (var b in bytes[..Math.Min(bytes.Length, max)])
        {
            switch (b)
            {
                case (byte)'\r': sb.Append("\\r"); break;
                case (byte)'\n': sb.Append("\\n"); break;
                case (byte)'\t': sb.Append("\\t"); break;
                case (byte)'\\': sb.Append("\\\\"); break;
                case >= 0x20 and < 0x7f: sb.Append((char)b); break;
                default: sb.Append("\\x").Append(b.ToString("x2", CultureInfo.InvariantCulture)); break;
            }
        }
        if (bytes.Length > max) sb.Append('…');
        return sb.ToString();
    }
}
