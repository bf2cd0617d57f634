using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MLTrack.Server.Http;
using MLTrack.Server.Rpc;

namespace MLTrack.Server.Ui;

/// <summary>
/// The browser UI on the tracking server, installed before its token guard (which would refuse the page and event
/// URLs: they carry the token in the query string) and guarding these paths the same way itself:
/// <list type="bullet">
/// <item><c>GET /ui/&lt;panel&gt;?args=&lt;json&gt;&amp;token=…</c>: the shell page (fresh nonce, CSP header); no or a wrong token → a 401 page.</item>
/// <item><c>GET /ui/assets/&lt;file&gt;</c>: the built <c>webviews/dist</c> files (no data in them: no token needed).</item>
/// <item><c>POST /rpc</c> <c>{"method","params"}</c> with <c>Authorization: Bearer</c> → <c>{"result"}</c> or <c>{"error":{code,message,data}}</c>.</item>
/// <item><c>GET /rpc/events?token=…</c>: notifications as Server-Sent Events.</item>
/// </list>
/// Every path: a Host that is not loopback → 403; a cross-origin Origin / Sec-Fetch-Site → 403.
/// </summary>
public sealed class UiEndpoints
{
    public const string UiPrefix = "/ui";
    public const string AssetsPrefix = "/ui/assets/";
    public const string RpcPath = "/rpc";
    public const string EventsPath = "/rpc/events";
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    private readonly byte[] _token;
    private readonly InProcessRpc _rpc;
    private readonly NotificationHub _hub;
    private readonly string _webviewsDir;
    private readonly string _distDir;
    private readonly TextWriter _log;
    private CancellationToken _stopping;

    public UiEndpoints(string token, InProcessRpc rpc, NotificationHub hub, string webviewsDirectory, TextWriter log)
    {
        _token = Encoding.UTF8.GetBytes(token);
        _rpc = rpc;
        _hub = hub;
        _webviewsDir = Path.GetFullPath(webviewsDirectory);
        _distDir = Path.Combine(_webviewsDir, "dist");
        _log = log;
    }

    /// <summary>Installs the middleware (for <see cref="TrackingServerOptions.ConfigureApp"/>).</summary>
    public void Install(WebApplication app)
    {
        _stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        app.Use(InvokeAsync);
    }

    private static bool Matches(PathString path, string prefix) =>
        path.StartsWithSegments(prefix, StringComparison.Ordinal, out _);

    public async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        var path = ctx.Request.Path;
        var ui = Matches(path, UiPrefix);
        var rpc = Matches(path, RpcPath);
        if (!ui && !rpc)
        {
            await next(ctx);
            return;
        }
        if (!RequestGuard.IsLoopbackHost(ctx.Request.Host))
        {
            await RefuseAsync(ctx, 403, "PERMISSION_DENIED", $"Host '{ctx.Request.Host}' is not allowed: this server answers only to localhost, 127.0.0.1 or [::1].", rpc);
            return;
        }
        if (!SameOrigin(ctx))
        {
            await RefuseAsync(ctx, 403, "PERMISSION_DENIED", "Cross-origin requests are refused.", rpc);
            return;
        }
        if (ui) await UiAsync(ctx);
        else if (path.Equals(EventsPath, StringComparison.Ordinal)) await EventsAsync(ctx);
        else if (path.Equals(RpcPath, StringComparison.Ordinal)) await RpcAsync(ctx);
        else await RefuseAsync(ctx, 404, "ENDPOINT_NOT_FOUND", $"No endpoint {ctx.Request.Method} {path}.", rpc: true);
    }

    // ---- checks ---------------------------------------------------------------------------------------------------

    /// <summary>No Origin, or our own; and not a cross-site fetch (Sec-Fetch-Site).</summary>
    private static bool SameOrigin(HttpContext ctx)
    {
        var site = ctx.Request.Headers["Sec-Fetch-Site"].ToString();
        if (site is "cross-site" or "same-site") return false;
        var origin = ctx.Request.Headers.Origin.ToString();
        if (origin.Length == 0) return true;
        return Uri.TryCreate(origin, UriKind.Absolute, out var o)
            && o.Scheme == Uri.UriSchemeHttp
            && RequestGuard.IsLoopbackHost(new HostString(o.Authority))
            && string.Equals(o.Authority, ctx.Request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private bool TokenMatches(string? candidate) =>
        candidate is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _token);

    private bool HeaderAuthorized(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value) return false;
        value = value.Trim();
        return value.Length > 7 && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && TokenMatches(value[7..].Trim());
    }

    private bool QueryAuthorized(HttpContext ctx) =>
        ctx.Request.Query.TryGetValue("token", out var t) && t.Count == 1 && TokenMatches(t[0]);

    // ---- pages and assets -----------------------------------------------------------------------------------------

    private async Task UiAsync(HttpContext ctx)
    {
        if (!HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method))
        {
            ctx.Response.Headers.Allow = "GET, HEAD";
            await PageAsync(ctx, 405, "Method not allowed", "Only GET is served under /ui.");
            return;
        }
        var raw = ArtifactPaths.DecodedRawPath(ctx);
        if (raw.StartsWith(AssetsPrefix, StringComparison.Ordinal))
        {
            await AssetAsync(ctx, raw[AssetsPrefix.Length..]);
            return;
        }
        var rest = raw.Length > UiPrefix.Length ? raw[(UiPrefix.Length + 1)..] : "";
        if (rest.Length == 0)
        {
            ctx.Response.Redirect(UiPrefix + "/runs" + ctx.Request.QueryString);
            return;
        }
        if (rest.Contains('/') || !UiRpcMethods.Panels.Contains(rest))
        {
            await PageAsync(ctx, 404, "No such panel", $"There is no panel '{rest}'. Panels: {string.Join(", ", UiRpcMethods.Panels)}.");
            return;
        }
        if (!QueryAuthorized(ctx) && !HeaderAuthorized(ctx))
        {
            await PageAsync(ctx, 401, "Token required",
                "This page needs the store's token: open the URL that `mltrack ui` printed (it ends in ?token=…), or run `mltrack ui --open`.");
            return;
        }
        var argsJson = "{}";
        if (ctx.Request.Query.TryGetValue("args", out var a) && a.Count > 0 && !string.IsNullOrWhiteSpace(a[0]))
        {
            try
            {
                using var doc = JsonDocument.Parse(a[0]!);
                argsJson = doc.RootElement.GetRawText();
            }
            catch (JsonException)
            {
                await PageAsync(ctx, 400, "Bad args", "The args query parameter must be JSON, e.g. ?args={\"runId\":\"…\"}.");
                return;
            }
        }
        var shellPath = Path.Combine(_webviewsDir, UiShell.FileName);
        if (!File.Exists(shellPath) || !File.Exists(Path.Combine(_distDir, "main.js")))
        {
            await PageAsync(ctx, 503, "Panels not installed",
                $"The panels are not built or not installed beside mltrack ({shellPath}, {Path.Combine(_distDir, "main.js")}): build them with `cd webviews && npm ci && npm run build`, then rebuild mltrack (or pass --webviews DIR).");
            return;
        }
        var template = await File.ReadAllTextAsync(shellPath, ctx.RequestAborted);
        var nonce = UiShell.NewNonce();
        var html = UiShell.Fill(template, new Dictionary<string, string>
        {
            ["cspSource"] = UiShell.Self,
            ["nonce"] = nonce,
            ["connectSrc"] = UiShell.Self,
            ["base"] = AssetsPrefix.TrimEnd('/'),
            ["panel"] = rest,
            ["argsJson"] = argsJson,
            ["preferencesJson"] = "", // the browser asks preferences/get (per user, kept by the backend)
            ["token"] = Encoding.UTF8.GetString(_token),
            ["rpcUrl"] = RpcPath,
            ["title"] = "MLTrack · " + rest,
        });
        SecurityHeaders(ctx);
        ctx.Response.Headers.ContentSecurityPolicy = UiShell.ContentSecurityPolicy(UiShell.Self, nonce, UiShell.Self);
        ctx.Response.Headers.CacheControl = "no-store";
        ctx.Response.ContentType = "text/html; charset=utf-8";
        await ctx.Response.WriteAsync(html, ctx.RequestAborted);
    }

    private async Task AssetAsync(HttpContext ctx, string relative)
    {
        var segments = relative.Split('/');
        if (relative.Length == 0 || segments.Any(s => s is "" or "." or ".." || s.Contains('\\') || s.Contains(':') || s.Contains('\0')))
        {
            await PageAsync(ctx, 400, "Bad path", "Asset paths must not contain '.', '..' or empty segments.");
            return;
        }
        var full = Path.GetFullPath(Path.Combine(_distDir, Path.Combine(segments)));
        if (!full.StartsWith(_distDir + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
        {
            await PageAsync(ctx, 404, "Not found", $"No asset '{relative}'.");
            return;
        }
        if (!ContentTypes.TryGetContentType(full, out var type)) type = "application/octet-stream";
        if (type.StartsWith("text/", StringComparison.Ordinal) || type is "application/javascript" or "application/json" or "image/svg+xml")
            type += "; charset=utf-8";
        SecurityHeaders(ctx);
        ctx.Response.Headers.CacheControl = "no-cache";
        ctx.Response.ContentType = type;
        var info = new FileInfo(full);
        ctx.Response.ContentLength = info.Length;
        if (HttpMethods.IsHead(ctx.Request.Method)) return;
        await ctx.Response.SendFileAsync(full, ctx.RequestAborted);
    }

    private static void SecurityHeaders(HttpContext ctx)
    {
        ctx.Response.Headers.XContentTypeOptions = "nosniff";
        ctx.Response.Headers["Referrer-Policy"] = "no-referrer";
        ctx.Response.Headers.XFrameOptions = "DENY";
        ctx.Response.Headers["Cross-Origin-Resource-Policy"] = "same-origin";
    }

    private static async Task PageAsync(HttpContext ctx, int status, string title, string message)
    {
        ctx.Response.StatusCode = status;
        SecurityHeaders(ctx);
        ctx.Response.Headers.ContentSecurityPolicy = "default-src 'none'";
        ctx.Response.Headers.CacheControl = "no-store";
        ctx.Response.ContentType = "text/html; charset=utf-8";
        var t = System.Net.WebUtility.HtmlEncode(title);
        await ctx.Response.WriteAsync(
            $"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>MLTrack: {t}</title></head>\n<body><h1>{t}</h1><p>{System.Net.WebUtility.HtmlEncode(message)}</p></body></html>\n",
            ctx.RequestAborted);
    }

    // ---- /rpc -----------------------------------------------------------------------------------------------------

    private async Task RpcAsync(HttpContext ctx)
    {
        if (!HttpMethods.IsPost(ctx.Request.Method))
        {
            ctx.Response.Headers.Allow = "POST";
            await RpcErrorAsync(ctx, 405, RpcErrorCodes.InvalidRequest, "Use POST /rpc with a JSON body {\"method\", \"params\"}.", "INVALID_REQUEST");
            return;
        }
        if (!HeaderAuthorized(ctx))
        {
            await RefuseAsync(ctx, 401, "UNAUTHENTICATED",
                "Missing or wrong bearer token: send 'Authorization: Bearer <token>' with the token from .mltrack/token.", rpc: true);
            return;
        }
        var contentType = ctx.Request.ContentType;
        if (contentType is not null && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await RpcErrorAsync(ctx, 415, RpcErrorCodes.InvalidRequest, "The body must be JSON (Content-Type: application/json).", "INVALID_REQUEST");
            return;
        }
        string method;
        string? paramsJson;
        try
        {
            using var doc = await JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("method", out var m) || m.ValueKind != JsonValueKind.String)
            {
                await RpcErrorAsync(ctx, 400, RpcErrorCodes.InvalidRequest, "The body must be an object {\"method\": string, \"params\"?: object}.", "INVALID_REQUEST");
                return;
            }
            method = m.GetString()!;
            paramsJson = root.TryGetProperty("params", out var p) && p.ValueKind != JsonValueKind.Null ? p.GetRawText() : null;
        }
        catch (JsonException e)
        {
            await RpcErrorAsync(ctx, 400, RpcErrorCodes.ParseError, $"The body is not valid JSON: {e.Message}", "INVALID_REQUEST");
            return;
        }
        catch (BadHttpRequestException e)
        {
            await RpcErrorAsync(ctx, e.StatusCode, RpcErrorCodes.InvalidRequest, e.Message, "INVALID_REQUEST");
            return;
        }
        if (!UiRpcMethods.Allowed.Contains(method))
        {
            await RpcErrorAsync(ctx, 404, RpcErrorCodes.MethodNotFound, $"Method '{method}' is not available to the panels.", "ENDPOINT_NOT_FOUND");
            return;
        }
        RpcAnswer answer;
        try
        {
            answer = await _rpc.CallAsync(method, paramsJson, ctx.RequestAborted);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            await RpcErrorAsync(ctx, 503, RpcErrorCodes.StoreUnavailable, "The backend is shutting down.", "STORE_UNAVAILABLE");
            return;
        }
        ctx.Response.Headers.CacheControl = "no-store";
        ctx.Response.Headers.XContentTypeOptions = "nosniff";
        ctx.Response.ContentType = "application/json; charset=utf-8";
        if (answer.ErrorJson is { } error)
        {
            ctx.Response.StatusCode = StatusOf(answer.ErrorCode);
            await ctx.Response.WriteAsync("{\"error\":" + error + "}", ctx.RequestAborted);
        }
        else
        {
            await ctx.Response.WriteAsync("{\"result\":" + answer.ResultJson + "}", ctx.RequestAborted);
        }
    }

    /// <summary>The HTTP status of an RPC error code.</summary>
    public static int StatusOf(int code) => code switch
    {
        RpcErrorCodes.MethodNotFound or RpcErrorCodes.ResourceDoesNotExist => 404,
        RpcErrorCodes.ResourceAlreadyExists or RpcErrorCodes.InvalidState or RpcErrorCodes.NotInitialized => 409,
        RpcErrorCodes.StoreUnavailable => 503,
        RpcErrorCodes.InternalError => 500,
        _ => 400,
    };

    private static Task RpcErrorAsync(HttpContext ctx, int status, int code, string message, string errorCode)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.Headers.CacheControl = "no-store";
        ctx.Response.Headers.XContentTypeOptions = "nosniff";
        ctx.Response.ContentType = "application/json; charset=utf-8";
        var body = JsonSerializer.Serialize(new { error = new { code, message, data = new { errorCode } } });
        return ctx.Response.WriteAsync(body, ctx.RequestAborted);
    }

    private static Task RefuseAsync(HttpContext ctx, int status, string errorCode, string message, bool rpc)
    {
        if (!rpc) return PageAsync(ctx, status, status == 401 ? "Token required" : "Forbidden", message);
        var code = status == 401 ? -32001 : status == 403 ? -32003 : RpcErrorCodes.MethodNotFound;
        return RpcErrorAsync(ctx, status, code, message, errorCode);
    }

    // ---- /rpc/events ----------------------------------------------------------------------------------------------

    private async Task EventsAsync(HttpContext ctx)
    {
        if (!HttpMethods.IsGet(ctx.Request.Method))
        {
            ctx.Response.Headers.Allow = "GET";
            await RpcErrorAsync(ctx, 405, RpcErrorCodes.InvalidRequest, "Use GET /rpc/events?token=… (Server-Sent Events).", "INVALID_REQUEST");
            return;
        }
        if (!QueryAuthorized(ctx) && !HeaderAuthorized(ctx))
        {
            await RefuseAsync(ctx, 401, "UNAUTHENTICATED", "Missing or wrong token: GET /rpc/events?token=<token>.", rpc: true);
            return;
        }
        var reader = _hub.Subscribe(out var subscription);
        using var _ = subscription;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping);
        var ct = linked.Token;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/event-stream; charset=utf-8";
        ctx.Response.Headers.CacheControl = "no-store";
        ctx.Response.Headers.XContentTypeOptions = "nosniff";
        ctx.Response.Headers["X-Accel-Buffering"] = "no";
        try
        {
            // retry: how soon the browser reconnects after the server went away (e.g. restarted)
            await ctx.Response.WriteAsync("retry: 1000\n: connected\n\n", ct);
            await ctx.Response.Body.FlushAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(KeepAlive);
                bool more;
                try
                {
                    more = await reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await ctx.Response.WriteAsync(": keep-alive\n\n", ct);
                    await ctx.Response.Body.FlushAsync(ct);
                    continue;
                }
                if (!more) break;
                while (reader.TryRead(out var line)) await ctx.Response.WriteAsync(line, ct);
                await ctx.Response.Body.FlushAsync(ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // the browser went away or the server stops
        }
    }
}
