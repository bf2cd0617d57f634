using System.Runtime.InteropServices;

namespace MLTrack.Server.Http;

/// <summary>
/// A file opened with an exclusive advisory lock (<c>flock</c> on Unix, a sharing lock on Windows), or nothing when
/// another process holds it. The kernel drops the lock when its holder dies, however it dies.
/// </summary>
internal static class ExclusiveFile
{
    private const int LOCK_EX = 2;
    private const int LOCK_NB = 4;
    private const int EWOULDBLOCK_LINUX = 11;
    private const int EWOULDBLOCK_MACOS = 35;
    private const int ERROR_SHARING_VIOLATION = unchecked((int)0x80070020);
    private const int ERROR_LOCK_VIOLATION = unchecked((int)0x80070021);

    /// <summary>Opens (creating) and locks <paramref name="path"/>; null when another process holds its lock.</summary>
    /// <exception cref="IOException">The file could not be opened for another reason.</exception>
    public static FileStream? TryOpen(string path)
    {
        FileStream file;
        try
        {
            // FileShare.None is flock(LOCK_EX | LOCK_NB) in .NET on Unix, taken at open: no window between open and lock.
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None, BufferSize = 1 };
            if (MLTrack.Core.Storage.StorePermissions.Applies) options.UnixCreateMode = MLTrack.Core.Storage.StorePermissions.FileMode;
            file = new FileStream(path, options);
        }
        catch (IOException e) when (IsHeld(e.HResult))
        {
            return null;
        }
        // .NET skips that flock when DOTNET_SYSTEM_IO_DISABLEFILELOCKING is set; take it ourselves (a no-op otherwise).
        if (!OperatingSystem.IsWindows() && !Flock(file))
        {
            file.Dispose();
            return null;
        }
        return file;
    }

    /// <summary>Whether an IOException's HResult means "another process holds the lock".</summary>
    public static bool IsHeld(int hresult) =>
        hresult is EWOULDBLOCK_LINUX or EWOULDBLOCK_MACOS or ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION;

    private static bool Flock(FileStream file)
    {
        var handle = file.SafeFileHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return flock((int)handle.DangerousGetHandle(), LOCK_EX | LOCK_NB) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return true; // no libc flock to call: the lock .NET took is all there is
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int fd, int operation);
}
