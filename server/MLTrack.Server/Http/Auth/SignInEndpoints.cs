using Microsoft.AspNetCore.Http;
using MLTrack.Core.Accounts;
using MLTrack.Server.Http.Dto;

namespace MLTrack.Server.Http.Auth;

/// <summary>
/// Handlers of <c>/api/2.0/mltrack/auth/…</c> (users mode): email sign-in, which answers without a token, and sign-out.
/// Routes are declared in <see cref="RestRoutes"/>. Codes and session secrets are never logged.
/// </summary>
/// <param name="email">Null when the server has no mailer: the email routes are then not mapped.</param>
/// <param name="publicUrl">Where browsers reach the server (https there makes the cookie Secure).</param>
/// <param name="github">GitHub token sign-in (null: not offered).</param>
internal sealed class SignInEndpoints(SessionService sessions, EmailSignIn? email, Uri? publicUrl, TextWriter log, AuthFailureLimiter limiter,
    GitHubSignIn? github = null)
{
    public const string Prefix = RestRoutes.MlTrack + "/auth";
    public const string EmailStartPath = Prefix + "/email/start";
    public const string EmailCompletePath = Prefix + "/email/complete";
    public const string SignOutPath = Prefix + "/sign-out";
    public const string SignOutEverywherePath = Prefix + "/sign-out-everywhere";
    public const string GitHubTokenPath = Prefix + "/github/token";
    /// <summary>Where a completed sign-in lands when no (safe) return_to was given.</summary>
    public const string DefaultReturn = "/ui/runs";

    public bool HasEmail => email is not null;

    public bool HasGitHub => github is not null;

    /// <summary>Trades a GitHub token for a personal access token of the matching MLTrack user (no account is created).</summary>
    public async Task GitHubToken(HttpContext ctx)
    {
        var address = Address(ctx);
        if (limiter.IsBlocked(address))
            throw new ApiException(ErrorCodes.RequestLimitExceeded,
                $"Too many failed sign-ins from {address}; try again in {AuthFailureLimiter.Window.TotalMinutes:0} minute.");
        var req = await ApiJson.ReadBodyAsync<GitHubTokenRequest>(ctx);
        var token = req.AccessToken is { Length: > 0 and <= 4096 } t ? t : throw ApiException.MissingParameter("access_token");
        (User User, CreatedToken Token) signedIn;
        try
        {
            signedIn = await github!.SignInAsync(token, address, ctx.RequestAborted);
        }
        catch (SignInException x)
        {
            limiter.RecordFailure(address);
            throw new ApiException(ErrorCodes.Unauthenticated, x.Message);
        }
        Log($"mltrack: {signedIn.User.Email} signed in with GitHub from {address}");
        ctx.Response.Headers.CacheControl = "no-store";
        await ApiJson.WriteAsync(ctx, new GitHubTokenResponse(signedIn.Token.Secret, signedIn.Token.Token.TokenId, signedIn.Token.Token.ExpiresAt,
            signedIn.User.Email, signedIn.User.DisplayName));
    }

    /// <summary>The link mailed for a code: <paramref name="baseUrl"/> + the complete route, with the page to return to.</summary>
    public static Uri CompleteLink(Uri baseUrl, string code, string? returnTo) => new(baseUrl,
        EmailCompletePath.TrimStart('/') + "?code=" + Uri.EscapeDataString(code) + (returnTo is null ? "" : "&return_to=" + Uri.EscapeDataString(returnTo)));

    public async Task EmailStart(HttpContext ctx)
    {
        var req = await ApiJson.ReadBodyAsync<EmailSignInStartRequest>(ctx);
        var address = Address(ctx);
        var to = req.Email is { Length: > 0 } e ? e : throw ApiException.MissingParameter("email");
        Task delivery;
        try
        {
            delivery = email!.Start(to, address, SafeReturn(req.ReturnTo));
        }
        catch (SignInException x) when (x.Failure == SignInFailure.LimitExceeded)
        {
            throw new ApiException(ErrorCodes.RequestLimitExceeded, x.Message);
        }
        // Not awaited: a known email must take no longer to answer than an unknown one.
        _ = delivery.ContinueWith(t => Log($"mltrack: could not send a sign-in email: {t.Exception!.GetBaseException().Message}"),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        await ApiJson.WriteAsync(ctx, new EmailSignInStartResponse(true));
    }

    public Task EmailComplete(HttpContext ctx)
    {
        var address = Address(ctx);
        if (limiter.IsBlocked(address))
            throw new ApiException(ErrorCodes.RequestLimitExceeded,
                $"Too many failed sign-ins from {address}; try again in {AuthFailureLimiter.Window.TotalMinutes:0} minute.");
        var code = ctx.Request.Query["code"].ToString() is { Length: > 0 } c ? c : throw ApiException.MissingParameter("code");
        CreatedSession created;
        try
        {
            created = email!.Complete(code, address);
        }
        catch (SignInException x)
        {
            limiter.RecordFailure(address);
            throw new ApiException(ErrorCodes.Unauthenticated, x.Message);
        }
        SessionCookie.Set(ctx, created.Secret, DateTimeOffset.FromUnixTimeMilliseconds(created.Session.ExpiresAt), IsSecure(ctx));
        Log($"mltrack: {created.User.Email} signed in by email from {address}");
        // The code is in this URL: keep it out of caches and out of the next page's Referer.
        ctx.Response.Headers.CacheControl = "no-store";
        ctx.Response.Headers["Referrer-Policy"] = "no-referrer";
        ctx.Response.StatusCode = StatusCodes.Status303SeeOther;
        ctx.Response.Headers.Location = SafeReturn(ctx.Request.Query["return_to"].ToString()) ?? DefaultReturn;
        return Task.CompletedTask;
    }

    /// <summary>Ends the session whose cookie came with the request, and clears the cookie.</summary>
    public async Task SignOut(HttpContext ctx)
    {
        var principal = MltrackIdentity.Of(ctx);
        var ended = ctx.Request.Cookies[SessionCookie.Name] is { Length: > 0 } secret && sessions.SignOut(principal, secret, Address(ctx));
        SessionCookie.Clear(ctx, IsSecure(ctx));
        await ApiJson.WriteAsync(ctx, new SignOutResponse(ended ? 1 : 0));
    }

    /// <summary>Ends every session of the user, on every replica, and clears this browser's cookie.</summary>
    public async Task SignOutEverywhere(HttpContext ctx)
    {
        var ended = sessions.SignOutEverywhere(MltrackIdentity.Of(ctx), Address(ctx));
        Log($"mltrack: {MltrackIdentity.Of(ctx).Email} signed out everywhere ({ended} session(s))");
        SessionCookie.Clear(ctx, IsSecure(ctx));
        await ApiJson.WriteAsync(ctx, new SignOutResponse(ended));
    }

    /// <summary>
    /// <paramref name="returnTo"/> when it is a path on this server (one leading '/', not '//' or '/\', which
    /// browsers read as another host), else null: the sign-in never redirects off the server.
    /// </summary>
    public static string? SafeReturn(string? returnTo) =>
        returnTo is { Length: > 0 and <= 2000 } r && r[0] == '/' && (r.Length == 1 || (r[1] != '/' && r[1] != '\\'))
        && !r.Any(ch => char.IsControl(ch) || ch == '\\') ? r : null;

    private bool IsSecure(HttpContext ctx) => ctx.Request.IsHttps || publicUrl?.Scheme == Uri.UriSchemeHttps;

    private static string Address(HttpContext ctx) => ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private void Log(string line)
    {
        lock (log) log.WriteLine(line);
    }
}
