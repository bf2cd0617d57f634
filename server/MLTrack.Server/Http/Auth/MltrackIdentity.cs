using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using MLTrack.Core.Accounts;

namespace MLTrack.Server.Http.Auth;

/// <summary>The authenticated identity of a request, carrying the <see cref="Core.Accounts.Principal"/> the Core services check.</summary>
public sealed class MltrackIdentity(Principal principal) : ClaimsIdentity(
    [new Claim(ClaimTypes.NameIdentifier, principal.UserId), new Claim(ClaimTypes.Email, principal.Email), new Claim(ClaimTypes.Name, principal.DisplayName)],
    BearerAuthenticationHandler.SchemeName)
{
    public Principal Principal { get; } = principal;

    /// <summary>The request's principal; <see cref="InvalidOperationException"/> when it was not authenticated (the guard refuses those first).</summary>
    public static Principal Of(HttpContext? ctx) =>
        (ctx?.User.Identity as MltrackIdentity)?.Principal ?? throw new InvalidOperationException("The request was not authenticated.");
}
