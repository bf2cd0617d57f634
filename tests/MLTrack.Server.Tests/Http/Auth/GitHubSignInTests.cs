using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MLTrack.Core.Accounts;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Server.Http;
using MLTrack.Server.Http.Auth;

namespace MLTrack.Server.Tests.Http.Auth;

/// <summary>
/// Signing in with a GitHub token (what VS Code's GitHub provider gives the editor): verified against a GitHub
/// stand-in, traded for a personal access token of the matching MLTrack user; nobody is created.
/// </summary>
public sealed class GitHubSignInTests : IAsyncLifetime
{
    private const string Path = "api/2.0/mltrack/auth/github/token";
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-github-").FullName;
    private SqliteTrackingStore _store = null!;
    private GitHubStandIn _github = null!;
    private TrackingServer _server = null!;
    private HttpClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        _store = SqliteTrackingStore.Open(System.IO.Path.Combine(_dir, "mltrack.db"));
        new AccountService(_store).AddUser(Principal.Operator(), new NewUser("ada@example.com", "Ada"));
        _github = await GitHubStandIn.StartAsync();
        _server = await TrackingServer.StartAsync(_store, new TrackingServerOptions { Auth = AuthMode.Users, GitHubApi = _github.BaseAddress, Log = TextWriter.Null });
        _anonymous = new HttpClient { BaseAddress = _server.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _anonymous.Dispose();
        await _server.DisposeAsync();
        await _github.DisposeAsync();
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> TradeAsync(string githubToken)
    {
        using var response = await _anonymous.PostAsJsonAsync(Path, new { access_token = githubToken });
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task A_github_token_whose_verified_email_has_an_account_gets_a_token_that_opens_the_api_as_that_user()
    {
        _github.AddToken("gho_ada", 4242, "ada-gh", ("ada@example.com", true, true));

        var (status, body) = await TradeAsync("gho_ada");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ada@example.com", body.GetProperty("email").GetString());
        using var client = new HttpClient { BaseAddress = _server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
        using var created = await client.PostAsJsonAsync("api/2.0/mlflow/runs/create", new { experiment_id = "0" });
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var runId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
        Assert.Equal("ada@example.com", _store.GetRun(runId).User);
        Assert.Equal([("/user", "Bearer gho_ada"), ("/user/emails", "Bearer gho_ada")], _github.Asked);
    }

    [Fact]
    public async Task The_next_sign_in_finds_the_user_by_the_linked_github_id_without_reading_emails()
    {
        _github.AddToken("gho_ada", 4242, "ada-gh", ("ada@example.com", true, true));
        Assert.Equal(HttpStatusCode.OK, (await TradeAsync("gho_ada")).Status);
        _github.AddToken("gho_ada2", 4242, "ada-gh"); // no email any more: the id alone matches
        _github.Asked.Clear();

        var (status, body) = await TradeAsync("gho_ada2");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ada@example.com", body.GetProperty("email").GetString());
        Assert.Equal(["/user"], _github.Asked.Select(a => a.Path));
    }

    [Fact]
    public async Task A_token_github_refuses_is_401_and_no_token_is_made()
    {
        var (status, body) = await TradeAsync("gho_forged");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("GitHub did not accept the token (HTTP 401", body.GetProperty("message").GetString());
        Assert.Empty(_store.ListAccessTokens());
    }

    [Fact]
    public async Task A_verified_email_without_an_account_is_401_naming_how_to_add_it_and_nobody_is_created()
    {
        _github.AddToken("gho_eve", 7, "eve-gh", ("eve@example.com", true, true));

        var (status, body) = await TradeAsync("gho_eve");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("mltrack users add eve@example.com", body.GetProperty("message").GetString());
        Assert.Single(_store.ListUsers());
    }

    [Fact]
    public async Task An_unverified_email_does_not_match_an_account()
    {
        _github.AddToken("gho_mallory", 9, "mallory", ("ada@example.com", true, false));

        var (status, _) = await TradeAsync("gho_mallory");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Empty(_store.ListAccessTokens());
    }
}
