namespace MLTrack.Core.Artifacts;

/// <summary>
/// A new version of a file of an <see cref="ArtifactFolder"/> being written: <see cref="Stream"/> fills a temporary
/// file beside the target, <see cref="Commit"/> makes it durable and moves it over the target in one rename, and
/// disposing an uncommitted one deletes the temporary file. Until the commit nobody sees any of it.
/// </summary>
public sealed class PendingArtifactFile : IDisposable, IAsyncDisposable
{
    private readonly ArtifactFolder _folder;
    private readonly string _relative;
    private readonly string _temp;
    private readonly FileStream _stream;
    private bool _done;

    internal PendingArtifactFile(ArtifactFolder folder, string relative, string temp, FileStream stream)
    {
        _folder = folder;
        _relative = relative;
        _temp = temp;
        _stream = stream;
    }

    /// <summary>Where the content goes.</summary>
    public Stream Stream => _stream;

    /// <summary>Flushes the content to disk and replaces the target with it.</summary>
    /// <exception cref="ArtifactPathException">The target's folder became a symbolic link, or the target a folder.</exception>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
        _done = true;
        try
        {
            _folder.Replace(_temp, _relative);
        }
        catch
        {
            ArtifactFolder.TryDelete(_temp);
            throw;
        }
    }

    public void Dispose()
    {
        if (_done) return;
        _done = true;
        _stream.Dispose();
        ArtifactFolder.TryDelete(_temp);
    }

    public async ValueTask DisposeAsync()
    {
        if (_done) return;
        _done = true;
        await _stream.DisposeAsync().ConfigureAwait(false);
        ArtifactFolder.TryDelete(_temp);
    }
}
