using System.Text.Json;

namespace MLTrack.Server.Rpc.Framing;

/// <summary>Where a JSON value ends in bytes that may hold more than one (a frame whose Content-Length is too large).</summary>
internal static class JsonValues
{
    /// <summary>True when the token just read completes the top-level value.</summary>
    public static bool EndsTopLevelValue(ref Utf8JsonReader reader) =>
        reader.CurrentDepth == 0 && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.PropertyName or JsonTokenType.Comment);

    /// <summary>
    /// The length of the complete JSON value <paramref name="bytes"/> start with (whatever follows it), 0 when the
    /// bytes end inside that value, -1 when they are not JSON.
    /// </summary>
    public static int LeadingValueLength(ReadOnlySpan<byte> bytes)
    {
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, default);
        try
        {
            while (reader.Read())
            {
                if (EndsTopLevelValue(ref reader)) return (int)reader.BytesConsumed;
            }
            return 0;
        }
        catch (JsonException)
        {
            return -1;
        }
    }
}
