using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MLTrack.Core.Accounts;

namespace MLTrack.Server.Http.Auth;

/// <summary>What turns a bearer secret into a principal: local mode's one token, or a user's access token.</summary>
public sealed class BearerAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The principal for a secret, or null when it stands for none.</summary>
    public Func<string, Principal?> Authenticate { get; set; } = _ => null;

    /// <summary>Users mode: the principal for a session cookie's value, or null. Null: cookies are not read.</summary>
    public Func<string, Principal?>? AuthenticateSession { get; set; }
}

/// <summary>
/// ASP.NET Core authentication for <c>Authorization: Bearer …</c>, the one way every route authenticates (REST, the
/// MLflow API, <c>/rpc</c>): success sets the request's <see cref="MltrackIdentity"/>; the guard answers 401 for the
/// rest, so handlers only ever see authenticated requests. In users mode a request without an Authorization header may
/// instead carry the browser's session cookie (<see cref="SessionCookie"/>). No secret is logged.
/// </summary>
public sealed class BearerAuthenticationHandler(IOptionsMonitor<BearerAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<BearerAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "mltrack-bearer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers.Authorization.Count == 0 && Options.AuthenticateSession is { } session
            && Request.Cookies[SessionCookie.Name] is { Length: > 0 } cookie)
        {
            // A stale cookie is a signed-out browser, not a guess at a 256-bit secret: no result (401), not a failure
            // that counts towards the address's limit.
            return Task.FromResult(session(cookie) is { } user
                ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new MltrackIdentity(user, bySessionCookie: true)), SchemeName))
                : AuthenticateResult.NoResult());
        }
        if (BearerSecret.From(Request.Headers.Authorization) is not { } secret) return Task.FromResult(AuthenticateResult.NoResult());
        var principal = Options.Authenticate(secret);
        return Task.FromResult(principal is null
            ? AuthenticateResult.Fail("unknown, revoked or expired token")
            : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new MltrackIdentity(principal)), SchemeName)));
    }
}
