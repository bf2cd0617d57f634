using System.Text;

namespace MLTrack.Server.Http;

/// <summary>
/// <c>&lt;.mltrack&gt;/server.lock</c>, held exclusively for a tracking server's whole life: the atomic half of "one
/// server per store" (two servers started at the same instant both see no <c>server.json</c>; only one gets the lock).
/// An <see cref="ExclusiveFile"/>, so the kernel releases it on any death, kill -9 included: a lock file left behind
/// is never stale and needs no clean-up. The file holds the holder's pid, for people.
/// </summary>
internal sealed class ServerLock : IDisposable
{
    public const string FileName = "server.lock";

    private readonly FileStream _file;

    private ServerLock(FileStream file) => _file = file;

    public static string PathIn(string mltrackDir) => Path.Combine(mltrackDir, FileName);

    /// <summary>Takes the lock, or returns null when another process holds it.</summary>
    /// <exception cref="IOException">The lock file could not be created or opened (a reason other than the lock being held).</exception>
    public static ServerLock? TryAcquire(string mltrackDir)
    {
        Directory.CreateDirectory(mltrackDir);
        if (ExclusiveFile.TryOpen(PathIn(mltrackDir)) is not { } file) return null;
        try
        {
            file.SetLength(0);
            file.Write(Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
            file.Flush();
        }
        catch (IOException)
        {
            // The pid is only a note for people; the lock is what counts.
        }
        return new ServerLock(file);
    }

    /// <summary>Releases the lock (closing the file is what releases it).</summary>
    public void Dispose() => _file.Dispose();
}
