namespace MLTrack.Server.Rpc;

/// <summary>
/// Application error codes (JSON-RPC reserves -32768..-32000 for itself; standard ones such as -32601 method not
/// found and -32700 parse error keep their meaning). Every application error carries data <c>{errorCode}</c> with
/// the MLflow-style name; filter errors add <c>{position}</c>.
/// </summary>
public static class RpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;

    /// <summary>A method other than initialize was called before initialize.</summary>
    public const int NotInitialized = -32002;

    public const int ResourceDoesNotExist = 1001;
    public const int ResourceAlreadyExists = 1002;
    public const int InvalidParameterValue = 1003;
    public const int InvalidState = 1004;
    public const int StoreUnavailable = 1005;
    /// <summary>A filter or order_by string does not parse; data <c>{position, errorCode: "INVALID_PARAMETER_VALUE"}</c>.</summary>
    public const int InvalidFilter = 1006;
    /// <summary>The signed-in user may see the resource but not do this to it (a viewer's write).</summary>
    public const int PermissionDenied = 1007;
}
