using System.Text;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Storage;
using MLTrack.Server.Rpc.Dto;

namespace MLTrack.Server.Rpc;

/// <summary>artifacts/read.</summary>
public sealed class ArtifactsRpc(RpcSession session) : IArtifactsRpc
{
    public const int DefaultMaxBytes = 1 << 20;
    public const int MaxBytesLimit = 8 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async Task<ArtifactContent> ReadAsync(ArtifactReadParams request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.Path)) throw RpcException.InvalidParams("'path' is required.");
        var maxBytes = request.MaxBytes ?? DefaultMaxBytes;
        if (maxBytes is < 1 or > MaxBytesLimit) throw RpcException.InvalidParams($"'maxBytes' must be between 1 and {MaxBytesLimit}, got {maxBytes}.");
        var store = session.Store;
        var runId = store.ResolveRunId(request.RunId ?? "");
        ArtifactSlice slice;
        try
        {
            slice = await new RunArtifacts(store, session.Artifacts, runId).ReadAsync(request.Path, request.Offset ?? 0, maxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw RpcException.InvalidParams(e.Message);
        }
        catch (FileNotFoundException e)
        {
            throw new StoreException(StoreErrorCode.ResourceDoesNotExist, e.Message);
        }
        return Encode(slice);
    }

    /// <summary>Text when the bytes decode as UTF-8 (a cut multi-byte character at the end is trimmed), else base64.</summary>
    public static ArtifactContent Encode(ArtifactSlice slice)
    {
        var data = slice.Data;
        for (int trim = 0; trim <= 3 && trim <= data.Length; trim++)
        {
            try
            {
                var text = StrictUtf8.GetString(data, 0, data.Length - trim);
                if (text.Contains('\0')) break; // binary that happens to be valid UTF-8
                return new ArtifactContent(slice.Path, slice.Size, slice.Offset, text, "utf8", slice.Truncated || trim > 0);
            }
            catch (DecoderFallbackException)
            {
                if (!slice.Truncated) break; // only a slice cut mid-character earns the trim
            }
        }
        return new ArtifactContent(slice.Path, slice.Size, slice.Offset, Convert.ToBase64String(data), "base64", slice.Truncated);
    }
}
