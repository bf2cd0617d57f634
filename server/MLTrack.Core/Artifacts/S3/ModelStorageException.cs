namespace MLTrack.Core.Artifacts.S3;

/// <summary>
/// An S3 model storage operation failed. The message names the endpoint, the bucket and the S3 error code (or one of
/// ours: <c>EndpointUnreachable</c>, <c>Timeout</c>, <c>ClientError</c>, <c>ProfileNotFound</c>, <c>VersionIdIgnored</c>,
/// <c>Sha256Mismatch</c>, <c>Sha256Missing</c>); it never contains credentials.
/// </summary>
public class ModelStorageException : Exception
{
    public ModelStorageException(string message, string endpoint, string bucket, string errorCode,
        int? statusCode = null, string? key = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Endpoint = endpoint;
        Bucket = bucket;
        ErrorCode = errorCode;
        StatusCode = statusCode;
        Key = key;
    }

    /// <summary>The endpoint that was called, e.g. <c>http://127.0.0.1:9000</c>.</summary>
    public string Endpoint { get; }

    public string Bucket { get; }

    /// <summary>The object key in the bucket (prefix included), when the operation was on an object.</summary>
    public string? Key { get; }

    /// <summary>The S3 error code (<c>NoSuchBucket</c>, <c>InvalidAccessKeyId</c>...) or one of ours (see the class).</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status of the failed response, when there was one.</summary>
    public int? StatusCode { get; }
}
