using System.Text;

namespace MLTrack.Core.Launch;

/// <summary>
/// The run's combined stdout+stderr log file. Both pumps write through one lock, so whole lines keep their arrival
/// order. Buffered only briefly: the launcher's writer thread flushes it as soon as a read brought new text, so what
/// was read is in the file (the OS's, which outlives our process) within milliseconds.
/// </summary>
internal sealed class OutputLog : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();
    private bool _disposed;

    public OutputLog(string path)
    {
        var options = MLTrack.Core.Storage.StorePermissions.NewFile(FileMode.Create, FileShare.ReadWrite | FileShare.Delete);
        options.BufferSize = 64 * 1024;
        var stream = new FileStream(path, options);
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 16 * 1024);
    }

    public void Write(string text)
    {
        lock (_gate)
        {
            if (!_disposed) _writer.Write(text);
        }
    }

    public void WriteLine(string text)
    {
        lock (_gate)
        {
            if (_disposed) return;
            _writer.Write(text);
            _writer.Write('\n');
        }
    }

    public void Flush()
    {
        lock (_gate)
        {
            if (!_disposed) _writer.Flush();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _writer.Dispose();
        }
    }
}
