namespace MLTrack.Core.Artifacts;

/// <summary>
/// An artifact opened for reading: <see cref="Content"/> yields exactly <see cref="Length"/> bytes starting at
/// <see cref="Offset"/> of a file that was <see cref="Size"/> bytes long when it was opened (a live log may grow
/// meanwhile; what is served is what was there).
/// </summary>
public sealed class OpenedArtifact(string path, Stream content, long size, long offset, long length) : IDisposable, IAsyncDisposable
{
    /// <summary>The artifact's path in its normal form.</summary>
    public string Path { get; } = path;

    public Stream Content { get; } = content;

    public long Size { get; } = size;

    public long Offset { get; } = offset;

    public long Length { get; } = length;

    /// <summary>True when the file goes on after the bytes served.</summary>
    public bool Truncated => Offset + Length < Size;

    public void Dispose() => Content.Dispose();

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
