using MLTrack.Core.Artifacts.Local;
using MLTrack.Core.Artifacts.S3;

namespace MLTrack.Core.Artifacts;

/// <summary>Opens the artifact store a URI names — the one place that decides which implementation serves artifacts.</summary>
public static class ArtifactStoreFactory
{
    /// <summary>The forms <see cref="Open"/> takes, for error messages and help.</summary>
    public const string Forms = "a folder path, file:///absolute/folder or s3://bucket/prefix";

    /// <summary>
    /// The artifact store for <paramref name="uri"/>:
    /// <list type="bullet">
    /// <item>null or empty: a <see cref="LocalArtifactStore"/> in <paramref name="localFolder"/> (the default, beside the database);</item>
    /// <item>a folder path or <c>file:///absolute/folder</c>: a <see cref="LocalArtifactStore"/> there;</item>
    /// <item><c>s3://bucket/prefix</c>: an <see cref="S3ArtifactStore"/> with <paramref name="localFolder"/> as its cache;
    /// endpoint, region and credentials from the AWS environment (<c>AWS_ENDPOINT_URL_S3</c> / <c>AWS_ENDPOINT_URL</c>,
    /// <c>AWS_REGION</c>, <c>AWS_ACCESS_KEY_ID</c> + <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_PROFILE</c>, else the SDK's
    /// default chain), as <see cref="S3ClientFactory"/> reads them. Nothing is sent to S3 until artifacts are used.</item>
    /// </list>
    /// </summary>
    /// <param name="localFolder">The local store's folder, or the S3 store's cache folder.</param>
    /// <param name="environment">Reads an environment variable; null: the process environment.</param>
    /// <exception cref="ArgumentException">The URI is none of the forms above, or its S3 settings are invalid; the message says which part is wrong.</exception>
    public static IArtifactStore Open(string? uri, string localFolder, Func<string, string?>? environment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(localFolder);
        var text = uri?.Trim();
        if (string.IsNullOrEmpty(text)) return new LocalArtifactStore(localFolder);
        var scheme = SchemeOf(text);
        switch (scheme?.ToLowerInvariant())
        {
            case null:
                return new LocalArtifactStore(Path.GetFullPath(text));
            case "file":
                return new LocalArtifactStore(FilePath(text));
            case "s3":
                return OpenS3(text, localFolder, environment);
            default:
                throw new ArgumentException($"Artifact store '{uri}': the scheme '{scheme}:' is not supported; use {Forms}.", nameof(uri));
        }
    }

    private static IArtifactStore OpenS3(string uri, string cacheFolder, Func<string, string?>? environment)
    {
        S3StorageOptions options;
        try
        {
            options = S3StorageOptions.FromUri(uri);
        }
        catch (FormatException e)
        {
            throw new ArgumentException($"Artifact store {e.Message}", nameof(uri), e);
        }
        try
        {
            return new S3ArtifactStore(new S3ModelStorage(options, environment), cacheFolder);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Artifact store '{uri}': {e.Message}", nameof(uri), e);
        }
        catch (ModelStorageException e)
        {
            throw new ArgumentException($"Artifact store '{uri}': {e.Message}", nameof(uri), e);
        }
    }

    /// <summary>The absolute local path of a <c>file:</c> URI.</summary>
    private static string FilePath(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !parsed.IsFile)
            throw new ArgumentException($"Artifact store '{uri}' is not a valid file URI: expected file:///absolute/folder.", nameof(uri));
        if (!parsed.IsLoopback && parsed.Host.Length > 0)
            throw new ArgumentException($"Artifact store '{uri}' names the host '{parsed.Host}': only local folders (file:///absolute/folder) are supported.", nameof(uri));
        if (parsed.Query.Length > 0 || parsed.Fragment.Length > 0)
            throw new ArgumentException($"Artifact store '{uri}' must not have a query or fragment: expected file:///absolute/folder.", nameof(uri));
        return parsed.LocalPath;
    }

    /// <summary>"s3", "file", ... for <c>scheme:…</c>; null for a path (a Windows drive letter is a path too).</summary>
    private static string? SchemeOf(string text)
    {
        int colon = text.IndexOf(':');
        if (colon < 2) return null; // no scheme, or "C:\..."
        var candidate = text[..colon];
        if (!char.IsAsciiLetter(candidate[0]) || !candidate.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.')) return null;
        return candidate;
    }
}
