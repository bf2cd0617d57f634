namespace MLTrack.Core.Tests.Artifacts;

/// <summary>
/// Content that gives its first part, then waits for <see cref="Release"/> before the rest — an upload caught in the
/// middle. <see cref="FirstPartRead"/> completes once the reader has taken the first part and asked for more.
/// </summary>
public sealed class PausedStream(byte[] first, byte[] rest) : Stream
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _position;

    public Task FirstPartRead => _firstRead.Task;

    public void Release() => _release.TrySetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= first.Length)
        {
            _firstRead.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
        }
        var all = first.Length + rest.Length;
        if (_position >= all) return 0;
        var source = _position < first.Length ? first.AsMemory(_position) : rest.AsMemory(_position - first.Length);
        int n = Math.Min(buffer.Length, source.Length);
        source[..n].CopyTo(buffer);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
