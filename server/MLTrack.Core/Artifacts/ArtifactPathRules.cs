namespace MLTrack.Core.Artifacts;

/// <summary>
/// The rules every artifact path follows, whatever stores it (a local folder or S3 keys): relative, '/'-separated
/// ('\' counts as one), no '.' or '..' segments, no NUL, no reserved name; and the id of the folder holding it (a run
/// id) is one plain name. Messages name the path as the caller gave it and the place as <c>description</c>.
/// </summary>
internal static class ArtifactPathRules
{
    /// <summary>The path's segments (empty segments dropped).</summary>
    /// <exception cref="ArtifactPathException">Empty (unless <paramref name="allowEmpty"/>), absolute, with '.' or '..' segments, a NUL, or a reserved name.</exception>
    public static string[] Segments(string relative, bool allowEmpty, string description)
    {
        ArgumentNullException.ThrowIfNull(relative);
        if (relative.Contains('\0'))
            throw new ArtifactPathException($"Path '{relative.Replace("\0", "\\0")}' contains a NUL character.", relative);
        var p = relative.Replace('\\', '/').Trim();
        if (p.StartsWith('/') || Path.IsPathRooted(p) || (p.Length >= 2 && p[1] == ':' && char.IsAsciiLetter(p[0])))
            throw new ArtifactPathException($"Path '{relative}' must be relative to {description}, not absolute.", relative);
        var segments = p.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 && !allowEmpty) throw new ArtifactPathException($"A path inside {description} is required.", relative);
        foreach (var s in segments)
        {
            if (s is "." or "..")
                throw new ArtifactPathException($"Path '{relative}' must stay inside {description}: '{s}' segments are not allowed.", relative);
            if (s.StartsWith(ArtifactFolder.TempPrefix, StringComparison.Ordinal))
                throw new ArtifactPathException($"Path '{relative}' uses a reserved name: names starting with '{ArtifactFolder.TempPrefix}' are files still being written.", relative);
        }
        return segments;
    }

    /// <summary>The path in its normal form ("" for the root when <paramref name="allowEmpty"/>).</summary>
    public static string Normalize(string relative, bool allowEmpty, string description) =>
        string.Join('/', Segments(relative, allowEmpty, description));

    /// <summary>Refuses a folder id (a run id) that is not one plain name.</summary>
    /// <exception cref="ArtifactPathException">Empty, '.', '..', or with '/', '\' or NUL.</exception>
    public static void CheckId(string id, string description)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 0 || id is "." or ".." || id.IndexOfAny(['/', '\\', '\0']) >= 0 || Path.IsPathRooted(id))
            throw new ArtifactPathException($"'{id}' is not a valid folder name for {description}: it must be one plain name.", id);
    }
}
