using Microsoft.AspNetCore.Http;
namespace MLTrack.Server.Http;

/// <summary>MLflow's error codes as they appear in <c>{"error_code": ...}</c>, and the HTTP status MLflow sends with each.</summary>
internal static class ErrorCodes
{
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";
    public const string InvalidState = "INVALID_STATE";
    public const string BadRequest = "BAD_REQUEST";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string PermissionDenied = "PERMISSION_DENIED";
    public const string EndpointNotFound = "ENDPOINT_NOT_FOUND";
    public const string TemporarilyUnavailable = "TEMPORARILY_UNAVAILABLE";
    public const string InternalError = "INTERNAL_ERROR";
    public const string RequestLimitExceeded = "REQUEST_LIMIT_EXCEEDED";

    public static int StatusOf(string code) => code switch
    {
        ResourceDoesNotExist or EndpointNotFound => StatusCodes.Status404NotFound,
        Unauthenticated => StatusCodes.Status401Unauthorized,
        PermissionDenied => StatusCodes.Status403Forbidden,
        TemporarilyUnavailable => StatusCodes.Status503ServiceUnavailable,
        RequestLimitExceeded => StatusCodes.Status429TooManyRequests,
        InternalError => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status400BadRequest,
    };
}
