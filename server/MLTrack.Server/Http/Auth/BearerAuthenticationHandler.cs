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
}

/// <summary>
/// ASP.NET Core authentication for <c>Authorization: Bearer …</c>, the one way every route authenticates (REST, the
/// MLflow API, <c>/rpc</c>): success sets the request's <see cref="MltrackIdentity"/>; the guard answers 401 for the
/// rest, so handlers only ever see authenticated requests. No secret is logged.
/// </summary>
public sealed class BearerAuthenticationHandler(IOptionsMonitor<BearerAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<BearerAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "mltrack-bearer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerSecret.From(Request.Headers.Authorization) is not { } secret) return Task.FromResult(AuthenticateResult.NoResult());
        var principal = Options.Authenticate(secret);
        return Task.FromResult(principal is null
            ? AuthenticateResult.Fail("unknown, revoked or expired token")
            : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new MltrackIdentity(principal)), SchemeName)));
    }
}
