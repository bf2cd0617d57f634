using MLTrack.Core.Artifacts.S3;

namespace MLTrack.Server.Composition;

/// <summary>
/// Where run artifacts go, as <c>--artifacts</c> (or <c>$MLTRACK_ARTIFACTS</c>) says: a folder (a path, or
/// <c>file:///absolute/path</c>) that holds them, or <c>s3://bucket/prefix</c>, the durable copy behind the local
/// folder (which then acts as a cache). <see cref="None"/>: the store's default folder only.
/// </summary>
public sealed record ArtifactLocation
{
    /// <summary>The accepted forms, for messages and option help.</summary>
    public const string AcceptedForms = "a folder path, file:///absolute/path or s3://bucket/prefix";

    public static ArtifactLocation None { get; } = new();

    /// <summary>The folder that holds the artifacts (full path), when a folder was given.</summary>
    public string? Folder { get; private init; }

    /// <summary>The S3 location (<c>s3://bucket/prefix</c>, normalized), when one was given.</summary>
    public string? S3Uri { get; private init; }

    /// <param name="text">The setting's value; null or blank gives <see cref="None"/>.</param>
    /// <param name="baseDirectory">What a relative folder path is taken from.</param>
    /// <exception cref="SettingsException">An unknown scheme, an S3 URI without a bucket, a file URI on another host.</exception>
    public static ArtifactLocation Parse(string? text, string baseDirectory)
    {
        if (string.IsNullOrWhiteSpace(text)) return None;
        var value = text.Trim();
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        // A one-letter "scheme" is a Windows drive.
        if (schemeEnd <= 1 || !value[..schemeEnd].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '.' or '-'))
            return new ArtifactLocation { Folder = Path.GetFullPath(value, baseDirectory) };
        var scheme = value[..schemeEnd].ToLowerInvariant();
        switch (scheme)
        {
            case "s3":
                try
                {
                    return new ArtifactLocation { S3Uri = S3Location.Parse(value).ToString() };
                }
                catch (FormatException e)
                {
                    throw new SettingsException($"Invalid artifact location: {e.Message}");
                }
            case "file":
                if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !uri.IsFile || !(uri.Host.Length == 0 || uri.IsLoopback))
                    throw new SettingsException($"Invalid artifact location '{value}': a file URI names a local absolute path, as file:///absolute/path.");
                return new ArtifactLocation { Folder = Path.GetFullPath(uri.LocalPath) };
            default:
                throw new SettingsException($"Invalid artifact location '{value}': unknown scheme '{scheme}://'; give {AcceptedForms}.");
        }
    }

    public override string ToString() => S3Uri ?? Folder ?? "(the store's artifact folder)";
}
