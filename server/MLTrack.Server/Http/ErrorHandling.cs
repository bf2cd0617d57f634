using Microsoft.AspNetCore.Http;
using MLTrack.Core.Search;
using MLTrack.Core.Storage;
using MLTrack.Server.Http.Dto;

namespace MLTrack.Server.Http;

/// <summary>
/// Outermost middleware: every failure leaves as MLflow's JSON error body with MLflow's HTTP status, never as an HTML
/// page or an empty 500. Store codes map one to one; a bad filter is INVALID_PARAMETER_VALUE with its position.
/// </summary>
internal sealed class ErrorHandling(TextWriter log)
{
    public async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        try
        {
            await next(ctx);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // the client went away: nobody to answer
        }
        catch (Exception e)
        {
            var (code, message, status) = Describe(e);
            // The log keeps what the client is not told: the store's path, the exception's type and stack.
            if (status >= 500) log.WriteLine($"mltrack server: {ctx.Request.Method} {ctx.Request.Path}: {e}");
            if (ctx.Response.HasStarted)
            {
                ctx.Abort();
                return;
            }
            await WriteErrorAsync(ctx, code, message, status);
        }
    }

    public static async Task WriteErrorAsync(HttpContext ctx, string code, string message, int? status = null)
    {
        ctx.Response.Clear();
        ctx.Response.StatusCode = status ?? ErrorCodes.StatusOf(code);
        if (ctx.Response.StatusCode == StatusCodes.Status401Unauthorized)
            ctx.Response.Headers.WWWAuthenticate = "Bearer";
        await ApiJson.WriteAsync(ctx, new ErrorResponse { ErrorCode = code, Message = message });
    }

    internal static (string Code, string Message, int Status) Describe(Exception e)
    {
        switch (e)
        {
            case ApiException a:
                return (a.ErrorCode, a.Message, a.Status);
            case StoreException s:
                var code = s.Code switch
                {
                    StoreErrorCode.ResourceDoesNotExist => ErrorCodes.ResourceDoesNotExist,
                    StoreErrorCode.ResourceAlreadyExists => ErrorCodes.ResourceAlreadyExists,
                    StoreErrorCode.InvalidParameterValue => ErrorCodes.InvalidParameterValue,
                    StoreErrorCode.InvalidState => ErrorCodes.InvalidState,
                    StoreErrorCode.StoreUnavailable => ErrorCodes.TemporarilyUnavailable,
                    StoreErrorCode.PermissionDenied => ErrorCodes.PermissionDenied,
                    _ => ErrorCodes.InternalError,
                };
                return (code, s.ClientMessage, ErrorCodes.StatusOf(code));
            case FilterSyntaxException f:
                return (ErrorCodes.InvalidParameterValue, f.Message + "\n" + f.FormatWithCaret(), StatusCodes.Status400BadRequest);
            case BadHttpRequestException b when b.StatusCode == StatusCodes.Status413PayloadTooLarge:
                return (ErrorCodes.BadRequest, "Request body is larger than this endpoint accepts: " + b.Message, StatusCodes.Status413PayloadTooLarge);
            case BadHttpRequestException b:
                return (ErrorCodes.BadRequest, b.Message, b.StatusCode is >= 400 and < 500 ? b.StatusCode : StatusCodes.Status400BadRequest);
            default:
                return (ErrorCodes.InternalError, "Internal error: the server could not handle this request; its log has the details.", StatusCodes.Status500InternalServerError);
        }
    }
}
