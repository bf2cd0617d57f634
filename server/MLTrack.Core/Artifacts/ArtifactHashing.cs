using System.Security.Cryptography;

namespace MLTrack.Core.Artifacts;

/// <summary>Copies a stream while hashing it, so a written artifact's size and sha256 come from the bytes written.</summary>
internal static class ArtifactHashing
{
    public static async Task<(long Size, string Sha256)> CopyAsync(Stream source, Stream destination, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long size = 0;
        int n;
        while ((n = await source.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            await destination.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            size += n;
        }
        await destination.FlushAsync(ct).ConfigureAwait(false);
        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    public static async Task<(long Size, string Sha256)> HashAsync(Stream source, CancellationToken ct)
    {
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(source, ct).ConfigureAwait(false));
        return (source.Position, sha); // the bytes hashed, even if the file grew meanwhile
    }
}
