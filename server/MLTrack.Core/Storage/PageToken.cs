using System.Globalization;
using System.Text;

namespace MLTrack.Core.Storage;

/// <summary>Opaque paging tokens: the base64 of the offset of the next page. Stable across stores, refused when forged.</summary>
public static class PageToken
{
    private const string Prefix = "offset:";

    public static string Encode(long offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes(Prefix + offset.ToString(CultureInfo.InvariantCulture)));

    public static long Decode(string? token)
    {
        if (string.IsNullOrEmpty(token)) return 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith(Prefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
                return offset;
        }
        catch (FormatException)
        {
            // fall through to the error below
        }
        throw new StoreException(StoreErrorCode.InvalidParameterValue, $"Invalid page_token '{token}'.");
    }
}
