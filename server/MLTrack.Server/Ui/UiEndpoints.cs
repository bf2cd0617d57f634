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
/// The browser UI on the tracking server, installed before its token guard (which knows only the bearer token) and
/// guarding these paths itself. A browser never holds the store's token: it signs in with a one-time code
/// (<see cref="UiSessions"/>) and then carries an HttpOnly, SameSite=Strict session cookie.
/// <list type="bullet">
/// <item><c>GET /ui/&lt;panel&gt;?args=&lt;json&gt;&amp;code=…</c>: spends the code, sets the session cookie and answers 303 to the same URL without <c>code</c>; a spent, expired or unknown code → a 401 page.</item>
/// <item><c>GET /ui/&lt;panel&gt;?args=&lt;json&gt;</c> with the session cookie (or <c>Authorization: Bearer</c>): the shell page (fresh nonce, CSP header, no token in it); else a 401 page.</item>
/// <item><c>POST /ui/codes</c> with <c>Authorization: Bearer</c> → <c>{"code","url","expiresInSeconds"}</c>: a fresh sign-in code (test harnesses, anything that opens the UI).</item>
/// <item><c>GET /ui/assets/&lt;file&gt;</c>: the built <c>webviews/dist</c> files (no data in them: no sign-in needed).</item>
/// <item><c>POST /rpc</c> <c>{"method","params"}</c> with the cookie (and our Origin) or a bearer token → <c>{"result"}</c> or <c>{"error":{code,message,data}}</c>.</item>
/// <item><c>GET /rpc/events</c> with the cookie or a bearer token: notifications as Server-Sent Events.</item>
/// </list>
/// Every path: a Host that is not loopback → 403; a cross-origin Origin / Sec-Fetch-Site → 403; a <c>token</c> in the
/// query string → 401 (the token must not sit in URLs, histories or logs). Refusals under /ui are HTML pages for a
/// browser (Accept: text/html) and MLflow-style JSON errors otherwise.
/// </summary>
public sealed class UiEndpoints
{
    public const string UiPrefix = "/ui";
    public const string AssetsPrefix = "/ui/assets/";
    public const string CodesPath = "/ui/codes";
    public const string RpcPath = "/rpc";
    public const string EventsPath = "/rpc/events";

    /// <summary>The session cookie's name on a port (cookies are not kept apart by port: two UIs on one host must not share one).</summary>
    public static string CookieName(int port) => $"mltrack_ui_{port}";

    private const string SignInAgain = "Run `mltrack ui --open` again to open the UI (a program holding the store's token can mint a new link with POST /ui/codes).";
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    private readonly byte[] _token;
    private readonly UiSessions _sessions;
    private readonly InProcessRpc _rpc;
    private readonly NotificationHub _hub;
    private readonly string _webviewsDir;
    private readonly string _distDir;
    private readonly TextWriter _log;
    private CancellationToken _stopping;

    public UiEndpoints(string token, UiSessions sessions, InProcessRpc rpc, NotificationHub hub, string webviewsDirectory, TextWriter log)
    {
        _token = Encoding.UTF8.GetBytes(token);
        _sessions = sessions;
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
        if (ctx.Request.Query.ContainsKey("token"))
        {
            await RefuseAsync(ctx, 401, "UNAUTHENTICATED",
                "The token is not accepted in the URL (it would stay in browser histories and process lists). " +
                "Open the UI with `mltrack ui --open` (or the URL it prints); programs send 'Authorization: Bearer <token>'.", rpc);
            return;
        }
        if (path.Equals(CodesPath, StringComparison.Ordinal)) await CodesAsync(ctx);
        else if (ui) await UiAsync(ctx);
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

    /// <summary>
    /// A cookie rides along with any request the browser makes, so a cookie-authenticated write must also show that our
    /// own page sent it: browsers send Origin on every fetch POST (checked equal to ours by <see cref="SameOrigin"/>)
    /// and Sec-Fetch-Site on every request. A request with neither is no page of ours.
    /// </summary>
    private static bool FromOurPage(HttpContext ctx) =>
        ctx.Request.Headers.Origin.ToString().Length > 0 || ctx.Request.Headers["Sec-Fetch-Site"].ToString() == "same-origin";

    private bool TokenMatches(string? candidate) =>
        candidate is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _token);

    private bool HeaderAuthorized(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value) return false;
        value = value.Trim();
        return value.Length > 7 && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && TokenMatches(value[7..].Trim());
    }

    private bool SessionAuthorized(HttpContext ctx) =>
        _sessions.IsSession(ctx.Request.Cookies[CookieName(ctx.Connection.LocalPort)]);

    // ---- sign-in --------------------------------------------------------------------------------------------------

    private async Task CodesAsync(HttpContext ctx)
    {
        if (!HttpMethods.IsPost(ctx.Request.Method))
        {
            ctx.Response.Headers.Allow = "POST";
            await JsonErrorAsync(ctx, 405, "BAD_REQUEST", "Use POST /ui/codes with 'Authorization: Bearer <token>'.");
            return;
        }
        if (!HeaderAuthorized(ctx))
        {
            await JsonErrorAsync(ctx, 401, "UNAUTHENTICATED",
                "Missing or wrong bearer token: POST /ui/codes needs 'Authorization: Bearer <token>' with the token from .mltrack/token.");
            return;
        }
        var code = _sessions.MintCode();
        var url = $"{ctx.Request.Scheme}://{ctx.Request.Host}{UiPrefix}/runs?code={code}";
        ctx.Response.Headers.CacheControl = "no-store";
        ctx.Response.Headers.XContentTypeOptions = "nosniff";
        ctx.Response.ContentType = "application/json; charset=utf-8";
        await ctx.Response.WriteAsync(
            JsonSerializer.Serialize(new { code, url, expiresInSeconds = (int)UiSessions.CodeLifetime.TotalSeconds }), ctx.RequestAborted);
    }

    /// <summary>
    /// <c>?code=</c> on a page: spend it, set the session cookie, and send the browser to the same URL without the code
    /// (303: the address bar and history keep no code). A spent code is no error for a browser already signed in (the
    /// printed link clicked again after --open used it): it only goes to the page.
    /// </summary>
    private async Task SignInAsync(HttpContext ctx, string panel)
    {
        var codes = ctx.Request.Query["code"];
        var outcome = _sessions.Redeem(codes.Count == 1 ? codes[0] : null, out var sessionId);
        if (outcome == UiSessions.Redeemed.SignedIn)
        {
            ctx.Response.Cookies.Append(CookieName(ctx.Connection.LocalPort), sessionId, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                IsEssential = true,
            });
        }
        else if (!SessionAuthorized(ctx) && !HeaderAuthorized(ctx))
        {
            var (title, why) = outcome switch
            {
                UiSessions.Redeemed.AlreadyUsed => ("Sign-in link already used", "This sign-in link was already used: each link opens the UI once."),
                UiSessions.Redeemed.Expired => ("Sign-in link expired",
                    $"This sign-in link has expired: links work for {(int)UiSessions.CodeLifetime.TotalMinutes} minutes."),
                _ => ("Sign-in link not valid", "This sign-in link is not valid (it may come from a server that has stopped since)."),
            };
            await PageAsync(ctx, 401, "UNAUTHENTICATED", title, why + " " + SignInAgain);
            return;
        }
        var rest = ctx.Request.Query.Where(q => q.Key != "code");
        SecurityHeaders(ctx);
        ctx.Response.Headers.CacheControl = "no-store";
        ctx.Response.StatusCode = StatusCodes.Status303SeeOther;
        ctx.Response.Headers.Location = $"{UiPrefix}/{panel}{QueryString.Create(rest)}";
    }

    // ---- pages and assets -----------------------------------------------------------------------------------------

    private async Task UiAsync(HttpContext ctx)
    {
        if (!HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method))
        {
            ctx.Response.Headers.Allow = "GET, HEAD";
            await PageAsync(ctx, 405, "BAD_REQUEST", "Method not allowed", "Only GET is served under /ui (and POST /ui/codes).");
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
            await PageAsync(ctx, 404, "ENDPOINT_NOT_FOUND", "No such panel", $"There is no panel '{rest}'. Panels: {string.Join(", ", UiRpcMethods.Panels)}.");
            return;
        }
        if (ctx.Request.Query.ContainsKey("code"))
        {
            await SignInAsync(ctx, rest);
            return;
        }
        if (!SessionAuthorized(ctx) && !HeaderAuthorized(ctx))
        {
            await PageAsync(ctx, 401, "UNAUTHENTICATED", "Sign-in needed",
                "This browser is not signed in to this MLTrack UI (or its session ended). " + SignInAgain);
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
                await PageAsync(ctx, 400, "INVALID_PARAMETER_VALUE", "Bad args", "The args query parameter must be JSON, e.g. ?args={\"runId\":\"…\"}.");
                return;
            }
        }
        var shellPath = Path.Combine(_webviewsDir, UiShell.FileName);
        if (!File.Exists(shellPath) || !File.Exists(Path.Combine(_distDir, "main.js")))
        {
            await PageAsync(ctx, 503, "TEMPORARILY_UNAVAILABLE", "Panels not installed",
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
            await PageAsync(ctx, 400, "INVALID_PARAMETER_VALUE", "Bad path", "Asset paths must not contain '.', '..' or empty segments.");
            return;
        }
        var full = Path.GetFullPath(Path.Combine(_distDir, Path.Combine(segments)));
        if (!full.StartsWith(_distDir + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
        {
            await PageAsync(ctx, 404, "RESOURCE_DOES_NOT_EXIST", "Not found", $"No asset '{relative}'.");
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

    /// <summary>A refusal under /ui: an HTML page for a browser, else MLflow's <c>{"error_code","message"}</c>.</summary>
    private static async Task PageAsync(HttpContext ctx, int status, string errorCode, string title, string message)
    {
        if (!ctx.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            SecurityHeaders(ctx);
            await JsonErrorAsync(ctx, status, errorCode, message);
            return;
        }
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

    private static Task JsonErrorAsync(HttpContext ctx, int status, string errorCode, string message)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.Headers.CacheControl = "no-store";
        ctx.Response.Headers.XContentTypeOptions = "nosniff";
        ctx.Response.ContentType = "application/json; charset=utf-8";
        return ctx.Response.WriteAsync(JsonSerializer.Serialize(new { error_code = errorCode, message }), ctx.RequestAborted);
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
            if (!SessionAuthorized(ctx))
            {
                await RefuseAsync(ctx, 401, "UNAUTHENTICATED",
                    "Missing or wrong credentials: send 'Authorization: Bearer <token>' with the token from .mltrack/token (a browser signs in with `mltrack ui --open`).", rpc: true);
                return;
            }
            if (!FromOurPage(ctx))
            {
                await RefuseAsync(ctx, 403, "PERMISSION_DENIED",
                    "A signed-in browser's POST /rpc must come from the UI's own page (its Origin header); programs send 'Authorization: Bearer <token>'.", rpc: true);
                return;
            }
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
        if (!rpc) return PageAsync(ctx, status, errorCode, status == 401 ? "Sign-in needed" : "Forbidden", message);
        var code = status == 401 ? -32001 : status == 403 ? -32003 : RpcErrorCodes.MethodNotFound;
        return RpcErrorAsync(ctx, status, code, message, errorCode);
    }

    // ---- /rpc/events ----------------------------------------------------------------------------------------------

    private async Task EventsAsync(HttpContext ctx)
    {
        if (!HttpMethods.IsGet(ctx.Request.Method))
        {
            ctx.Response.Headers.Allow = "GET";
            await RpcErrorAsync(ctx, 405, RpcErrorCodes.InvalidRequest, "Use GET /rpc/events (Server-Sent Events).", "INVALID_REQUEST");
            return;
        }
        if (!SessionAuthorized(ctx) && !HeaderAuthorized(ctx))
        {
            await RefuseAsync(ctx, 401, "UNAUTHENTICATED",
                "Missing or wrong credentials: a browser signs in with `mltrack ui --open`; programs send 'Authorization: Bearer <token>'.", rpc: true);
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
