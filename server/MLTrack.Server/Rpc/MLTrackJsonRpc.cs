using System.Reflection;
using MLTrack.Core.Search;
using MLTrack.Core.Storage;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace MLTrack.Server.Rpc;

/// <summary><see cref="JsonRpc"/> that turns the domain's exceptions into JSON-RPC errors with stable codes and data.</summary>
internal sealed class MLTrackJsonRpc(IJsonRpcMessageHandler handler, TextWriter log) : JsonRpc(handler)
{
    protected override JsonRpcError.ErrorDetail CreateErrorDetails(JsonRpcRequest request, Exception exception)
    {
        var e = exception;
        while (e is TargetInvocationException or AggregateException && e.InnerException is not null) e = e.InnerException;
        switch (e)
        {
            case RpcException r:
                return Detail(r.Code, r.Message, new RpcErrorData(r.ErrorCode));
            case FilterSyntaxException f:
                return Detail(RpcErrorCodes.InvalidFilter, f.Message, new RpcErrorData("INVALID_PARAMETER_VALUE", f.Position));
            case StoreException s:
                if (s.Code == StoreErrorCode.StoreUnavailable) log.WriteLine($"mltrack rpc: '{request.Method}': {s.Message}"); // with the store's path
                return Detail(CodeOf(s.Code), s.ClientMessage, new RpcErrorData(NameOf(s.Code)));
            case ArgumentException a:
                return Detail(RpcErrorCodes.InvalidParameterValue, a.Message, new RpcErrorData("INVALID_PARAMETER_VALUE"));
            case OperationCanceledException:
                return base.CreateErrorDetails(request, exception);
            case InvalidOperationException when e.GetType() == typeof(InvalidOperationException):
                // The services' own "cannot do that now" messages, written for people.
                log.WriteLine($"mltrack rpc: '{request.Method}' failed: {e}");
                return Detail(RpcErrorCodes.InternalError, e.Message, new RpcErrorData("INTERNAL_ERROR"));
            default:
                // Anything else is a bug or an I/O failure whose text names .NET types or local paths: the log has it.
                log.WriteLine($"mltrack rpc: internal error in '{request.Method}': {e}");
                return Detail(RpcErrorCodes.InternalError, $"Internal error in '{request.Method}'; the backend's log has the details.", new RpcErrorData("INTERNAL_ERROR"));
        }
    }

    private static JsonRpcError.ErrorDetail Detail(int code, string message, RpcErrorData data) =>
        new() { Code = (JsonRpcErrorCode)code, Message = message, Data = data };

    public static int CodeOf(StoreErrorCode code) => code switch
    {
        StoreErrorCode.ResourceDoesNotExist => RpcErrorCodes.ResourceDoesNotExist,
        StoreErrorCode.ResourceAlreadyExists => RpcErrorCodes.ResourceAlreadyExists,
        StoreErrorCode.InvalidParameterValue => RpcErrorCodes.InvalidParameterValue,
        StoreErrorCode.InvalidState => RpcErrorCodes.InvalidState,
        StoreErrorCode.PermissionDenied => RpcErrorCodes.PermissionDenied,
        _ => RpcErrorCodes.StoreUnavailable,
    };

    public static string NameOf(StoreErrorCode code) => code switch
    {
        StoreErrorCode.ResourceDoesNotExist => "RESOURCE_DOES_NOT_EXIST",
        StoreErrorCode.ResourceAlreadyExists => "RESOURCE_ALREADY_EXISTS",
        StoreErrorCode.InvalidParameterValue => "INVALID_PARAMETER_VALUE",
        StoreErrorCode.InvalidState => "INVALID_STATE",
        StoreErrorCode.PermissionDenied => "PERMISSION_DENIED",
        _ => "STORE_UNAVAILABLE",
    };
}
