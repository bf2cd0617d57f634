using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace MLTrack.Server.Http;

/// <summary>
/// One connection's output, passed straight through, except that once <see cref="Arm"/>ed it holds the next response
/// head and, when that head is Kestrel's own bodiless HTTP/1.x error (<c>Content-Length: 0</c>), writes it again with
/// the JSON body <paramref name="bodyFor"/> makes for its status code. Any other head leaves unchanged.
/// </summary>
internal sealed class ErrorBodyWriter(PipeWriter inner, Func<int, string?, byte[]> bodyFor) : PipeWriter
{
    private static ReadOnlySpan<byte> HeadEnd => "\r\n\r\n"u8;

    private volatile bool _armed;
    private string? _reason;
    private ArrayBufferWriter<byte>? _held;
    private bool _lastSpanHeld;

    /// <summary>Kestrel is about to answer a request it refused (for <paramref name="reason"/>): hold the answer's head to give it a body.</summary>
    public void Arm(string? reason)
    {
        _reason = reason;
        _armed = true;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        _lastSpanHeld = Holding();
        return _lastSpanHeld ? _held!.GetMemory(sizeHint) : inner.GetMemory(sizeHint);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        _lastSpanHeld = Holding();
        return _lastSpanHeld ? _held!.GetSpan(sizeHint) : inner.GetSpan(sizeHint);
    }

    public override void Advance(int bytes)
    {
        if (_lastSpanHeld) _held!.Advance(bytes);
        else inner.Advance(bytes);
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        Release();
        return inner.FlushAsync(cancellationToken);
    }

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        Release();
        inner.Complete(exception);
    }

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        Release();
        return inner.CompleteAsync(exception);
    }

    private bool Holding()
    {
        if (_held is null && _armed) _held = new ArrayBufferWriter<byte>(256);
        return _held is not null;
    }

    /// <summary>Writes what was held to the connection: with a body when it is a whole bodiless error head, else as it was.</summary>
    private void Release()
    {
        if (_held is not { } held) return;
        _held = null;
        _armed = false;
        var bytes = held.WrittenSpan;
        var end = bytes.IndexOf(HeadEnd);
        if (end >= 0 && TryRewrite(bytes[..(end + 2)], out var rewritten))
        {
            inner.Write(rewritten);
            inner.Write(bytes[(end + HeadEnd.Length)..]);
        }
        else
        {
            inner.Write(bytes);
        }
    }

    private bool TryRewrite(ReadOnlySpan<byte> head, out byte[] rewritten)
    {
        rewritten = [];
        var lines = Encoding.ASCII.GetString(head).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || !lines[0].StartsWith("HTTP/1.", StringComparison.Ordinal)) return false;
        var status = lines[0].Split(' ');
        if (status.Length < 2 || !int.TryParse(status[1], out var code) || code < 400) return false;
        var headers = lines.Skip(1).ToList();
        if (!headers.Any(h => IsHeader(h, "Content-Length") && h.EndsWith(": 0", StringComparison.Ordinal))
            || headers.Any(h => IsHeader(h, "Transfer-Encoding") || IsHeader(h, "Content-Type")))
            return false;
        var body = bodyFor(code, _reason);
        var sb = new StringBuilder(lines[0]).Append("\r\n");
        foreach (var h in headers.Where(h => !IsHeader(h, "Content-Length"))) sb.Append(h).Append("\r\n");
        sb.Append("Content-Type: application/json\r\n").Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
        rewritten = [.. Encoding.ASCII.GetBytes(sb.ToString()), .. body];
        return true;
    }

    private static bool IsHeader(string line, string name) =>
        line.Length > name.Length && line[name.Length] == ':' && line.StartsWith(name, StringComparison.OrdinalIgnoreCase);
}
