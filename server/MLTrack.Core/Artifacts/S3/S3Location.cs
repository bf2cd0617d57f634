namespace MLTrack.Core.Artifacts.S3;

/// <summary>
/// A bucket and key prefix written as <c>s3://bucket/prefix</c> (the form <c>--artifacts s3://bucket/prefix</c> takes).
/// The prefix has no leading or trailing '/'; it is empty for <c>s3://bucket</c>.
/// </summary>
public sealed record S3Location(string Bucket, string Prefix)
{
    /// <summary>Parses <c>s3://bucket</c>, <c>s3://bucket/</c> or <c>s3://bucket/some/prefix/</c>.</summary>
    /// <exception cref="FormatException">Not an s3:// URI, no bucket, or a query/fragment is present.</exception>
    public static S3Location Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        const string scheme = "s3://";
        var text = uri.Trim();
        if (!text.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            throw new FormatException($"'{uri}' is not an S3 location: expected s3://bucket/prefix.");
        var rest = text[scheme.Length..];
        if (rest.IndexOfAny(['?', '#']) >= 0)
            throw new FormatException($"'{uri}' must not have a query or fragment: expected s3://bucket/prefix.");
        int slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..];
        if (bucket.Length == 0)
            throw new FormatException($"'{uri}' names no bucket: expected s3://bucket/prefix.");
        return new S3Location(bucket, NormalizePrefix(prefix));
    }

    /// <summary>Like <see cref="Parse"/> but returns false instead of throwing.</summary>
    public static bool TryParse(string? uri, out S3Location? location)
    {
        location = null;
        if (uri is null) return false;
        try { location = Parse(uri); return true; }
        catch (FormatException) { return false; }
    }

    /// <summary>Trims '/' from both ends and collapses repeated '/' ("a//b/" → "a/b").</summary>
    public static string NormalizePrefix(string? prefix) =>
        string.Join('/', (prefix ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries));

    public override string ToString() => Prefix.Length == 0 ? $"s3://{Bucket}" : $"s3://{Bucket}/{Prefix}";
}
