using System.Buffers;
using System.Buffers.Text;

namespace MLTrack.Server.Rpc.Framing;

/// <summary>
/// Where an outgoing message is serialized: room is left in front of the body for its <c>Content-Length</c> header,
/// so header and body leave in one write (one syscall on a pipe) without copying the body.
/// </summary>
internal sealed class FrameBuffer : IBufferWriter<byte>
{
    private const int HeaderRoom = 40; // "Content-Length: " + up to 20 digits + "\r\n\r\n"
    private const int InitialSize = 16 * 1024;
    private const int KeepAtMost = 1024 * 1024;

    private byte[] _buffer = new byte[InitialSize];
    private int _end = HeaderRoom;

    /// <summary>Empties the buffer for the next message; a buffer grown for a very large message is let go.</summary>
    public void Reset()
    {
        _end = HeaderRoom;
        if (_buffer.Length > KeepAtMost) _buffer = new byte[InitialSize];
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_end + count > _buffer.Length) throw new InvalidOperationException("Advanced past the end of the buffer.");
        _end += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        int at = Ensure(sizeHint); // before reading _buffer: Ensure may replace it
        return _buffer.AsMemory(at);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        int at = Ensure(sizeHint);
        return _buffer.AsSpan(at);
    }

    /// <summary>The frame: header written just before the body, then the body.</summary>
    public ReadOnlyMemory<byte> Frame()
    {
        int bodyLength = _end - HeaderRoom;
        Span<byte> header = stackalloc byte[HeaderRoom];
        "Content-Length: "u8.CopyTo(header);
        Utf8Formatter.TryFormat(bodyLength, header[16..], out int digits);
        "\r\n\r\n"u8.CopyTo(header[(16 + digits)..]);
        int headerLength = 16 + digits + 4;
        header[..headerLength].CopyTo(_buffer.AsSpan(HeaderRoom - headerLength));
        return _buffer.AsMemory(HeaderRoom - headerLength, headerLength + bodyLength);
    }

    private int Ensure(int sizeHint)
    {
        int need = Math.Max(sizeHint, 256);
        if (_buffer.Length - _end < need)
        {
            var bigger = new byte[Math.Max(_buffer.Length * 2, _end + need)];
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            _buffer = bigger;
        }
        return _end;
    }
}
