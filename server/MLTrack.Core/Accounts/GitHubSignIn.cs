using System.Net.Http.Headers;
using System.Text.Json;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Accounts;

/// <summary>
/// Sign-in with a GitHub token (VS Code's built-in GitHub authentication provider hands the editor one): the server
/// verifies it against GitHub's user API (<c>GET /user</c>, <c>GET /user/emails</c> at <paramref name="apiBase"/>,
/// a setting so a stand-in can answer here), finds the MLTrack user by their linked GitHub id or else by a verified
/// email (and links the id), and hands back a personal access token of 30 days. No account is created: people are
/// added by an administrator (<c>mltrack users add</c>). The GitHub token is used for these two calls only, never kept.
/// </summary>
public sealed class GitHubSignIn(IAccountStore store, AccountService accounts, HttpClient http, Uri apiBase)
{
    public const string Provider = "github";
    public static readonly Uri DefaultApi = new("https://api.github.com/");
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromDays(30);

    /// <exception cref="SignInException">GitHub refused the token, could not be reached, or no MLTrack user matches.</exception>
    public async Task<(User User, CreatedToken Token)> SignInAsync(string githubToken, string? address, CancellationToken ct = default)
    {
        using var profile = await GetAsync("user", githubToken, ct).ConfigureAwait(false);
        var id = profile.RootElement.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.Number ? i.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)
            : throw Refused("GitHub's /user answer has no numeric id.");
        var login = profile.RootElement.TryGetProperty("login", out var l) ? l.GetString() : null;
        var user = store.FindUserByIdentity(Provider, id);
        if (user is null)
        {
            using var emails = await GetAsync("user/emails", githubToken, ct).ConfigureAwait(false);
            var verified = emails.RootElement.ValueKind == JsonValueKind.Array
                ? emails.RootElement.EnumerateArray()
                    .Where(e => e.TryGetProperty("verified", out var v) && v.ValueKind == JsonValueKind.True && e.TryGetProperty("email", out _))
                    .OrderByDescending(e => e.TryGetProperty("primary", out var p) && p.ValueKind == JsonValueKind.True)
                    .Select(e => e.GetProperty("email").GetString()!).ToList()
                : [];
            user = verified.Select(store.FindUserByEmail).FirstOrDefault(u => u is not null);
            if (user is null)
                throw Refused(verified.Count == 0
                    ? $"GitHub user {login} has no verified email, so no MLTrack account can be matched."
                    : $"No MLTrack account for {verified[0]} (GitHub {login}): an administrator adds it with 'mltrack users add {verified[0]}'.");
            store.LinkIdentity(new UserIdentity(user.UserId, Provider, id));
        }
        var token = accounts.CreatePersonalToken(Principal.ForUser(user), user.UserId, $"GitHub sign-in ({login})", TokenLifetime, address);
        return (user, token);
    }

    private async Task<JsonDocument> GetAsync(string path, string githubToken, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(apiBase, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", githubToken);
        request.Headers.Accept.ParseAdd("application/vnd.github+json");
        request.Headers.UserAgent.ParseAdd("mltrack");
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Refused($"GitHub's API at {apiBase} cannot be reached: {e.Message}");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw Refused($"GitHub did not accept the token (HTTP {(int)response.StatusCode} from /{path}).");
            try
            {
                return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), cancellationToken: ct).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                throw Refused($"GitHub's /{path} answer is not JSON.");
            }
        }
    }

    private static SignInException Refused(string message) => new(SignInFailure.Refused, message);
}
