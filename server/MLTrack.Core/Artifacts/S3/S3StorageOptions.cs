namespace MLTrack.Core.Artifacts.S3;

/// <summary>
/// Where and how <see cref="S3ModelStorage"/> stores models. Anything left null is taken from the AWS standard
/// environment variables and profiles (see <see cref="S3ClientFactory"/>): <c>AWS_ENDPOINT_URL_S3</c> /
/// <c>AWS_ENDPOINT_URL</c>, <c>AWS_REGION</c> / <c>AWS_DEFAULT_REGION</c>, <c>AWS_ACCESS_KEY_ID</c> /
/// <c>AWS_SECRET_ACCESS_KEY</c> / <c>AWS_SESSION_TOKEN</c>, <c>AWS_PROFILE</c>, then the SDK's default chain.
/// Secrets given here are used for the client only; they are never written anywhere by the storage.
/// </summary>
public sealed record S3StorageOptions
{
    public const long MiB = 1024 * 1024;

    /// <summary>The smallest part S3 accepts (except for the last part of an upload).</summary>
    public const long MinimumPartSize = 5 * MiB;

    /// <summary>The bucket holding the models.</summary>
    public required string Bucket { get; init; }

    /// <summary>Key prefix under which every key is stored ("" for the bucket root); '/' at the ends is ignored.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>
    /// An S3-compatible endpoint such as <c>http://127.0.0.1:9000</c> (MinIO, s3rver, Ceph...), addressed path-style.
    /// Null: <c>AWS_ENDPOINT_URL_S3</c>, then <c>AWS_ENDPOINT_URL</c>, else AWS S3 itself.
    /// </summary>
    public string? ServiceUrl { get; init; }

    /// <summary>Null: <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, the profile's region, else us-east-1.</summary>
    public string? Region { get; init; }

    /// <summary>Path-style addressing (<c>http://host/bucket/key</c>); always used for a custom endpoint.</summary>
    public bool ForcePathStyle { get; init; }

    public string? AccessKeyId { get; init; }
    public string? SecretAccessKey { get; init; }
    public string? SessionToken { get; init; }

    /// <summary>A named profile of ~/.aws/credentials or ~/.aws/config; null: <c>AWS_PROFILE</c>, else the default chain.</summary>
    public string? Profile { get; init; }

    /// <summary>Noncurrent (overwritten or deleted) versions expire after this many days (lifecycle rule).</summary>
    public int NoncurrentVersionExpirationDays { get; init; } = 30;

    /// <summary>Files larger than this are uploaded in parts.</summary>
    public long MultipartThreshold { get; init; } = 8 * MiB;

    /// <summary>Size of each part of a multipart upload (at least 5 MiB).</summary>
    public long PartSize { get; init; } = 8 * MiB;

    /// <summary>Parts uploaded at once; memory used is about this times <see cref="PartSize"/>.</summary>
    public int MultipartConcurrency { get; init; } = 4;

    /// <summary>Retries of a failed request (the SDK's backoff between them).</summary>
    public int MaxErrorRetry { get; init; } = 3;

    /// <summary>Timeout of one HTTP request; null: the SDK's default.</summary>
    public TimeSpan? RequestTimeout { get; init; }

    /// <summary>A description without secrets (the generated one would print the secret key).</summary>
    public override string ToString() =>
        $"S3StorageOptions {{ Bucket = {Bucket}, Prefix = {Prefix}, ServiceUrl = {ServiceUrl ?? "(default)"}, Region = {Region ?? "(default)"}, " +
        $"Credentials = {(AccessKeyId is not null ? "(explicit)" : Profile is not null ? "profile " + Profile : "(default chain)")} }}";

    /// <summary>Options for <c>s3://bucket/prefix</c>; endpoint, region and credentials then come from the environment.</summary>
    public static S3StorageOptions FromUri(string uri)
    {
        var location = S3Location.Parse(uri);
        return new S3StorageOptions { Bucket = location.Bucket, Prefix = location.Prefix };
    }

    /// <summary>Checks the values that need no server.</summary>
    /// <exception cref="ArgumentException">A value is out of range or malformed.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Bucket))
            throw new ArgumentException("S3 bucket must be set.", nameof(Bucket));
        if (ServiceUrl is not null &&
            (!Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
            throw new ArgumentException($"S3 endpoint '{ServiceUrl}' must be an absolute http:// or https:// URL.", nameof(ServiceUrl));
        if ((AccessKeyId is null) != (SecretAccessKey is null))
            throw new ArgumentException("S3 AccessKeyId and SecretAccessKey must be given together.", nameof(AccessKeyId));
        if (NoncurrentVersionExpirationDays < 1)
            throw new ArgumentException("NoncurrentVersionExpirationDays must be at least 1.", nameof(NoncurrentVersionExpirationDays));
        if (PartSize < MinimumPartSize || PartSize > int.MaxValue)
            throw new ArgumentException($"PartSize must be between 5 MiB and 2 GiB, not {PartSize}.", nameof(PartSize));
        if (MultipartThreshold < 1)
            throw new ArgumentException("MultipartThreshold must be positive.", nameof(MultipartThreshold));
        if (MultipartConcurrency < 1)
            throw new ArgumentException("MultipartConcurrency must be at least 1.", nameof(MultipartConcurrency));
        if (MaxErrorRetry < 0)
            throw new ArgumentException("MaxErrorRetry must not be negative.", nameof(MaxErrorRetry));
    }
}
