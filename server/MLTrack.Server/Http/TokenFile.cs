using System.Security.Cryptography;

namespace MLTrack.Server.Http;

/// <summary>
/// The store's bearer token in <c>.mltrack/token</c> (or the file the <c>--token-file</c> setting names): random,
/// created on first use with permissions 0600 from the start (never world-readable, not even for a moment), and
/// shared by every server and launcher of the store.
/// </summary>
public static class TokenFile
{
    public const string FileName = "token";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string PathIn(string mltrackDir) => Path.Combine(mltrackDir, FileName);

    /// <summary>The token in <paramref name="mltrackDir"/>, created when missing or empty. Safe when several processes race to create it.</summary>
    public static string LoadOrCreate(string mltrackDir) => LoadOrCreateAt(PathIn(mltrackDir));

    /// <summary>The token in the file <paramref name="path"/>, created (with its folder) when missing or empty. Safe when several processes race to create it.</summary>
    public static string LoadOrCreateAt(string path)
    {
        path = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(path)!;
        MLTrack.Core.Storage.StorePermissions.CreateFolder(folder);
        for (int attempt = 0; ; attempt++)
        {
            if (TryRead(path) is { } existing)
            {
                TightenPermissions(path);
                return existing;
            }
            if (File.Exists(path)) File.Delete(path); // present but empty: a token nobody can use
            var token = NewToken();
            var temp = Path.Combine(folder, $".token-{Guid.NewGuid():N}.tmp");
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
                using (var stream = new FileStream(temp, options))
                using (var writer = new StreamWriter(stream))
                {
                    writer.Write(token);
                    writer.Flush();
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temp, path, overwrite: false);
                return token;
            }
            catch (IOException) when (attempt < 5)
            {
                // another process published its token first: read that one
            }
            finally
            {
                if (File.Exists(temp)) File.Delete(temp);
            }
        }
    }

    /// <summary>32 random bytes as 64 lowercase hex characters.</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    private static string? TryRead(string path)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return text.Length > 0 ? text : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static void TightenPermissions(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        if ((File.GetUnixFileMode(path) & ~OwnerOnly) != 0) File.SetUnixFileMode(path, OwnerOnly);
    }
}
