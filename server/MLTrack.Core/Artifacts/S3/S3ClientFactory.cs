using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;

namespace MLTrack.Core.Artifacts.S3;

/// <summary>
/// Makes the S3 client behind <see cref="S3ModelStorage"/> from <see cref="S3StorageOptions"/>, filling what the
/// options leave open from the AWS standard environment variables and profiles:
/// <list type="bullet">
/// <item>endpoint: options, <c>AWS_ENDPOINT_URL_S3</c>, <c>AWS_ENDPOINT_URL</c>, else AWS S3 (a custom endpoint is
/// addressed path-style);</item>
/// <item>region: options, <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, the profile's region, else us-east-1;</item>
/// <item>credentials: options (keys, then profile), <c>AWS_ACCESS_KEY_ID</c> + <c>AWS_SECRET_ACCESS_KEY</c>
/// (+ <c>AWS_SESSION_TOKEN</c>), <c>AWS_PROFILE</c>, else the SDK's default chain (default profile, SSO, container and
/// instance roles...).</item>
/// </list>
/// Every client it makes sends PutObject and UploadPart bodies unchunked (<see cref="UnchunkedPayloadCustomizer"/>) and
/// computes request/response checksums only when an operation requires them (content integrity is checked with the
/// sha256 the storage records), so S3-compatible servers store the bytes they were sent.
/// </summary>
public static class S3ClientFactory
{
    /// <summary>A client and what it was resolved to; <see cref="Endpoint"/> is what error messages name.</summary>
    public sealed record Connection(IAmazonS3 Client, string Endpoint, string Region, bool IsHttp);

    /// <summary>Creates a client for <paramref name="options"/>.</summary>
    /// <param name="environment">Reads an environment variable; null: the process environment.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="ModelStorageException">A named profile does not exist.</exception>
    public static Connection Create(S3StorageOptions options, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        UnchunkedPayloadCustomizer.EnsureRegistered();
        var env = environment ?? Environment.GetEnvironmentVariable;

        var serviceUrl = options.ServiceUrl ?? NonEmpty(env("AWS_ENDPOINT_URL_S3")) ?? NonEmpty(env("AWS_ENDPOINT_URL"));
        if (serviceUrl is not null && options.ServiceUrl is null)
            (options with { ServiceUrl = serviceUrl }).Validate();
        var profileName = options.Profile ?? (options.AccessKeyId is null ? NonEmpty(env("AWS_PROFILE")) : null);
        CredentialProfile? profile = null;
        var profiles = new CredentialProfileStoreChain();
        if (profileName is not null && !profiles.TryGetProfile(profileName, out profile))
            throw new ModelStorageException(
                $"AWS profile '{profileName}' was not found in the shared credentials or config file.",
                serviceUrl ?? "AWS S3", options.Bucket, "ProfileNotFound");

        var region = options.Region ?? NonEmpty(env("AWS_REGION")) ?? NonEmpty(env("AWS_DEFAULT_REGION"))
                     ?? profile?.Region?.SystemName ?? "us-east-1";

        var config = new UnchunkedS3Config
        {
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = options.MaxErrorRetry,
        };
        if (options.RequestTimeout is { } timeout) config.Timeout = timeout;
        string endpoint;
        bool isHttp;
        if (serviceUrl is not null)
        {
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = region;
            config.ForcePathStyle = true;
            endpoint = serviceUrl.TrimEnd('/');
            isHttp = serviceUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
            config.ForcePathStyle = options.ForcePathStyle;
            endpoint = $"https://s3.{region}.amazonaws.com";
            isHttp = false;
        }

        var credentials = ResolveCredentials(options, env, profileName, profiles);
        IAmazonS3 client = credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
        return new Connection(client, endpoint, region, isHttp);
    }

    private static AWSCredentials? ResolveCredentials(
        S3StorageOptions options, Func<string, string?> env, string? profileName, CredentialProfileStoreChain profiles)
    {
        if (options.AccessKeyId is not null)
            return Keys(options.AccessKeyId, options.SecretAccessKey!, options.SessionToken);
        if (options.Profile is null && NonEmpty(env("AWS_ACCESS_KEY_ID")) is { } id && NonEmpty(env("AWS_SECRET_ACCESS_KEY")) is { } secret)
            return Keys(id, secret, NonEmpty(env("AWS_SESSION_TOKEN")));
        if (profileName is not null && profiles.TryGetAWSCredentials(profileName, out var fromProfile))
            return fromProfile;
        return null; // the SDK's default chain
    }

    private static AWSCredentials Keys(string id, string secret, string? token) =>
        token is null ? new BasicAWSCredentials(id, secret) : new SessionAWSCredentials(id, secret, token);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
