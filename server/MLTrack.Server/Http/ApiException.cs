namespace MLTrack.Server.Http;

/// <summary>A request refused with an MLflow error code; written as <c>{"error_code", "message"}</c> with <see cref="Status"/>.</summary>
internal sealed class ApiException(string errorCode, string message, int? status = null) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;
    public int Status { get; } = status ?? ErrorCodes.StatusOf(errorCode);

    public static ApiException InvalidParameter(string message) => new(ErrorCodes.InvalidParameterValue, message);

    public static ApiException MissingParameter(string field) =>
        new(ErrorCodes.InvalidParameterValue, $"Missing value for required parameter '{field}'.");

    public static ApiException NotFound(string message) => new(ErrorCodes.ResourceDoesNotExist, message);
}
