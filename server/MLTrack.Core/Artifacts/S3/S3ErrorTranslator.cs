using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;

namespace MLTrack.Core.Artifacts.S3;

/// <summary>Turns SDK and network exceptions into <see cref="ModelStorageException"/>s that name endpoint, bucket and code.</summary>
internal sealed class S3ErrorTranslator(string endpoint, string bucket)
{
    public ModelStorageException Translate(Exception error, string operation, string? key)
    {
        if (error is ModelStorageException already) return already;
        var (code, status, detail) = Classify(error);
        var target = key is null ? $"bucket '{bucket}'" : $"'{bucket}/{key}'";
        var statusText = status is { } s ? $" (HTTP {s})" : "";
        var message = $"S3 {operation} of {target} at {endpoint} failed: {code}{statusText}: {detail}";
        return new ModelStorageException(message, endpoint, bucket, code, status, key, error);
    }

    /// <summary>True for answers meaning "this server does not implement that" (s3rver answers 501 or 405).</summary>
    public static bool IsUnsupported(AmazonServiceException error) =>
        error.ErrorCode is "NotImplemented" or "MethodNotAllowed"
        || error.StatusCode is HttpStatusCode.NotImplemented or HttpStatusCode.MethodNotAllowed;

    /// <summary>True for "no such key/version/bucket" answers (HEAD answers carry no code, only 404).</summary>
    public static bool IsNotFound(AmazonServiceException error) =>
        error.StatusCode == HttpStatusCode.NotFound || error.ErrorCode is "NoSuchKey" or "NoSuchVersion" or "NotFound";

    private static (string Code, int? Status, string Detail) Classify(Exception error)
    {
        if (FindNetworkFailure(error) is { } network)
            return ("EndpointUnreachable", null, network.Message);
        switch (error)
        {
            case AmazonServiceException service:
                {
                    int? status = service.StatusCode == 0 ? null : (int)service.StatusCode;
                    var code = !string.IsNullOrEmpty(service.ErrorCode) ? service.ErrorCode
                        : status is { } st ? ((HttpStatusCode)st).ToString() : "Unknown";
                    var detail = string.IsNullOrWhiteSpace(service.Message) ? code : service.Message;
                    return (code, status, detail);
                }
            case OperationCanceledException or TimeoutException:
                return ("Timeout", null, error.Message);
            case AmazonClientException client:
                return (client.Message.Contains("credential", StringComparison.OrdinalIgnoreCase) ? "NoCredentials" : "ClientError",
                    null, client.Message);
            default:
                return ("ClientError", null, $"{error.GetType().Name}: {error.Message}");
        }
    }

    private static Exception? FindNetworkFailure(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SocketException) return e;
            if (e is HttpRequestException { StatusCode: null } http)
                return http.InnerException is SocketException socket ? socket : http;
        }
        return null;
    }
}
