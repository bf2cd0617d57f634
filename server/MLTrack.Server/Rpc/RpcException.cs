namespace MLTrack.Server.Rpc;

/// <summary>A refusal from an RPC method with a JSON-RPC error code (see <see cref="RpcErrorCodes"/>).</summary>
public sealed class RpcException(int code, string errorCode, string message) : Exception(message)
{
    public int Code { get; } = code;

    /// <summary>The MLflow-style name sent as <c>data.errorCode</c>.</summary>
    public string ErrorCode { get; } = errorCode;

    public static RpcException InvalidParams(string message) => new(RpcErrorCodes.InvalidParams, "INVALID_PARAMETER_VALUE", message);

    public static RpcException NotInitialized() =>
        new(RpcErrorCodes.NotInitialized, "NOT_INITIALIZED", "The backend is not initialized: call 'initialize' first.");

    public static string Require(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw InvalidParams($"'{name}' is required.") : value;
}
