using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MLTrack.Server.Tests.Http.Auth;

/// <summary>
/// GitHub's user API as GitHub documents it (<c>GET /user</c>, <c>GET /user/emails</c>, 401 for an unknown token),
/// on loopback, for tokens the test registers; it records what it was asked (path and Authorization header).
/// GitHub itself cannot be reached from here.
/// </summary>
public sealed class GitHubStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (long Id, string Login, (string Email, bool Primary, bool Verified)[] Emails)> _tokens = new();

    public ConcurrentQueue<(string Path, string Authorization)> Asked { get; } = new();

    private GitHubStandIn(WebApplication app) => _app = app;

    public Uri BaseAddress => new(_app.Urls.First() + "/");

    public void AddToken(string token, long id, string login, params (string Email, bool Primary, bool Verified)[] emails) => _tokens[token] = (id, login, emails);

    public static async Task<GitHubStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var standIn = new GitHubStandIn(app);
        app.MapGet("/user", ctx => standIn.Answer(ctx, u => new { id = u.Id, login = u.Login, name = u.Login, avatar_url = "https://avatars.example/" + u.Login }));
        app.MapGet("/user/emails", ctx => standIn.Answer(ctx, u => u.Emails.Select(e => new { email = e.Email, primary = e.Primary, verified = e.Verified, visibility = "private" })));
        await app.StartAsync();
        return standIn;
    }

    private Task Answer(HttpContext ctx, Func<(long Id, string Login, (string Email, bool Primary, bool Verified)[] Emails), object> body)
    {
        var auth = ctx.Request.Headers.Authorization.ToString();
        Asked.Enqueue((ctx.Request.Path, auth));
        if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !_tokens.TryGetValue(auth[7..], out var user))
        {
            ctx.Response.StatusCode = 401;
            return ctx.Response.WriteAsJsonAsync(new { message = "Bad credentials", documentation_url = "https://docs.github.com/rest" });
        }
        return ctx.Response.WriteAsJsonAsync(body(user));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
