using System.Security.Cryptography;

namespace MLTrack.Core.Tests.S3;

/// <summary>Temporary local files for the S3 tests, deleted with the instance.</summary>
public sealed class S3TestFiles : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("mltrack-s3-test-").FullName;

    /// <summary>Writes <paramref name="bytes"/> to a new file and returns its path.</summary>
    public string Write(byte[] bytes, string name = "model.bin")
    {
        var path = Path.Combine(Dir, Guid.NewGuid().ToString("N")[..8] + "-" + name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A path in the folder that does not exist yet.</summary>
    public string NewPath(string name = "downloaded.bin") => Path.Combine(Dir, Guid.NewGuid().ToString("N")[..8] + "-" + name);

    public static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
