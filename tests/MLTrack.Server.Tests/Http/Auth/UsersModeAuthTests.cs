using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using MLTrack.Core.Accounts;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Server.Http;
using MLTrack.Server.Http.Auth;

namespace MLTrack.Server.Tests.Http.Auth;

/// <summary>A server with <c>--auth users</c>: only users' access tokens open it, on every route; guessing is cut off per address.</summary>
public sealed partial class UsersModeAuthTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-users-auth-").FullName;
    private SqliteTrackingStore _store = null!;
    private TrackingServer _server = null!;
    private string _secret = "";

    public async Task InitializeAsync()
    {
        _store = SqliteTrackingStore.Open(Path.Combine(_dir, "mltrack.db"));
        var accounts = new AccountService(_store);
        accounts.AddUser(Principal.Operator(), new NewUser("ada@example.com"));
        _secret = accounts.CreatePersonalToken(Principal.Operator(), "ada@example.com", "tests").Secret;
        _server = await TrackingServer.StartAsync(_store, new TrackingServerOptions { Auth = AuthMode.Users, Token = "local-token", Log = TextWriter.Null });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private HttpClient Client(string? token)
    {
        var c = new HttpClient { BaseAddress = _server.BaseAddress };
        if (token is not null) c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return c;
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public async Task Every_route_but_health_and_sign_in_answers_401_without_a_users_token_and_nothing_is_written()
    {
        // The only routes open without a token: health for load balancers, and the sign-in that trades a GitHub token for one.
        string[] open = ["/health", "/api/2.0/mltrack/auth/github/token"];
        var routes = _server.Routes.Where(r => !open.Contains(r.Pattern)).ToList();
        Assert.True(routes.Count > 25, $"only {routes.Count} routes found");
        foreach (var token in new string?[] { null, "local-token", "mlt_" + new string('x', 43) })
        {
            using var client = Client(token);
            foreach (var (method, pattern) in routes)
            {
                var path = RouteParameter().Replace(pattern, "x");
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "GET" or "DELETE" ? null : new StringContent("{\"name\":\"intruder\",\"experiment_id\":\"0\"}") };
                using var response = await client.SendAsync(request);
                Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"{method} {pattern} with {token ?? "no token"}: {(int)response.StatusCode}");
            }
        }
        Assert.Null(_store.FindExperimentByName("intruder"));
        Assert.Empty(_store.SearchRuns(new Core.Storage.RunQuery()).Runs);
    }

    [Fact]
    public async Task A_users_token_opens_it()
    {
        using var client = Client(_secret);

        using var response = await client.GetAsync("api/2.0/mlflow/experiments/search");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task An_address_that_keeps_sending_wrong_tokens_gets_429_even_with_a_right_one_until_the_window_ends()
    {
        using var wrong = Client("mlt_wrong");
        for (int i = 0; i < AuthFailureLimiter.MaxFailures; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("api/2.0/mlflow/experiments/search")).StatusCode);

        using var right = Client(_secret);
        using var response = await right.GetAsync("api/2.0/mlflow/experiments/search");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Contains("REQUEST_LIMIT_EXCEEDED", await response.Content.ReadAsStringAsync());
    }
}
