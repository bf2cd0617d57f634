using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using MLTrack.Core.Accounts;

namespace MLTrack.Server.Http.Auth;

/// <summary>The authenticated identity of a request, carrying the <see cref="Core.Accounts.Principal"/> the Core services check.</summary>
/// <param name="bySessionCookie">Authenticated by the browser's session cookie (not a bearer token): its state-changing requests need a same-origin Origin.</param>
public sealed class MltrackIdentity(Principal principal, bool bySessionCookie = false) : ClaimsIdentity(
    [new Claim(ClaimTypes.NameIdentifier, principal.UserId), new Claim(ClaimTypes.Email, principal.Email), new Claim(ClaimTypes.Name, principal.DisplayName)],
    BearerAuthenticationHandler.SchemeName)
{
    public Principal Principal { get; } = principal;

    public bool BySessionCookie { get; } = bySessionCookie;

    /// <summary>The request's principal; <see cref="InvalidOperationException"/> when it was not authenticated (the guard refuses those first).</summary>
    public static Principal Of(HttpContext? ctx) =>
        (ctx?.User.Identity as MltrackIdentity)?.Principal ?? throw new InvalidOperationException("The request was not authenticated.");
}
