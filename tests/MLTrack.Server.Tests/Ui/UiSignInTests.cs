using System.Net;
using System.Text;
using System.Text.Json;
using MLTrack.Server.Rpc;
using MLTrack.Server.Ui;

namespace MLTrack.Server.Tests.Ui;

/// <summary>
/// A browser signs in with a one-time code and then holds only an HttpOnly session cookie: the store's token is in no
/// URL, page or browser-held value, and the cookie cannot be used from another origin.
/// </summary>
public sealed class UiSignInTests(UiFixture ui) : IClassFixture<UiFixture>
{
    private string CookieName => UiEndpoints.CookieName(ui.Server.BaseAddress.Port);

    private async Task<HttpResponseMessage> GetAsync(HttpClient client, string path, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null) request.Headers.Add("Accept", accept);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_code_sets_an_http_only_strict_session_cookie_and_redirects_to_the_url_without_it()
    {
        using var browser = ui.NewBrowser();
        var args = Uri.EscapeDataString("{\"runId\":\"abc\"}");
        using var response = await browser.GetAsync($"ui/run?args={args}&code={ui.Server.Sessions.MintCode()}");

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal($"/ui/run?args={args}", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(CookieName + "=", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(ui.Server.Token, cookie);

        using var page = await browser.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task A_code_signs_in_only_once()
    {
        var code = ui.Server.Sessions.MintCode();
        using (var first = ui.NewBrowser())
        using (var signedIn = await first.GetAsync($"ui/runs?code={code}"))
            Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);

        using var second = ui.NewBrowser();
        using var reused = await GetAsync(second, $"ui/runs?code={code}", "text/html");
        var html = await reused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        Assert.Contains("already used", html);
        Assert.Contains("mltrack ui --open", html);
        Assert.False(reused.Headers.Contains("Set-Cookie"));
        using var after = await second.GetAsync("ui/runs");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task A_code_expires_two_minutes_after_it_was_minted()
    {
        var code = ui.Server.Sessions.MintCode();
        ui.Clock.Advance(UiSessions.CodeLifetime + TimeSpan.FromSeconds(1));
        using var browser = ui.NewBrowser();
        using var expired = await GetAsync(browser, $"ui/runs?code={code}", "text/html");
        var html = await expired.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("expired", html);
        Assert.Contains("mltrack ui --open", html);

        var fresh = ui.Server.Sessions.MintCode();
        ui.Clock.Advance(UiSessions.CodeLifetime - TimeSpan.FromSeconds(1));
        using var inTime = await browser.GetAsync($"ui/runs?code={fresh}");
        Assert.Equal(HttpStatusCode.SeeOther, inTime.StatusCode);
    }

    [Fact]
    public async Task An_unknown_code_is_refused_with_how_to_sign_in()
    {
        using var browser = ui.NewBrowser();
        using var refused = await browser.GetAsync("ui/runs?code=not-a-code");
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("not valid", body);
        Assert.Contains("mltrack ui --open", body);
    }

    [Fact]
    public async Task A_spent_code_only_redirects_a_browser_that_is_already_signed_in()
    {
        // the printed link clicked in the browser that --open already signed in with it
        var code = ui.Server.Sessions.MintCode();
        using var browser = ui.NewBrowser();
        using (var first = await browser.GetAsync($"ui/runs?code={code}"))
            Assert.Equal(HttpStatusCode.SeeOther, first.StatusCode);
        using var again = await browser.GetAsync($"ui/runs?code={code}");
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        Assert.Equal("/ui/runs", again.Headers.Location!.OriginalString);
        Assert.False(again.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_session_ends_twelve_hours_after_sign_in()
    {
        using var browser = await ui.SignedInBrowserAsync();
        using (var ok = await browser.GetAsync("ui/runs"))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        ui.Clock.Advance(UiSessions.SessionLifetime);
        using var ended = await browser.GetAsync("ui/runs");
        Assert.Equal(HttpStatusCode.Unauthorized, ended.StatusCode);
    }

    [Fact]
    public async Task The_shell_page_holds_neither_the_token_nor_a_data_token()
    {
        using var browser = await ui.SignedInBrowserAsync();
        foreach (var panel in UiRpcMethods.Panels)
        {
            using var page = await browser.GetAsync($"ui/{panel}");
            var html = await page.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.DoesNotContain(ui.Server.Token, html);
            Assert.DoesNotContain("data-token", html);
            Assert.DoesNotContain("code=", html);
        }
    }

    [Fact]
    public async Task Rpc_accepts_the_session_cookie_from_our_page()
    {
        using var browser = await ui.SignedInBrowserAsync();
        var (status, body) = await ui.PageRpcAsync(browser, RpcMethods.RunsList, new { });
        Assert.Equal(200, status);
        Assert.NotNull(body["result"]!["runs"]);
    }

    [Fact]
    public async Task Events_accept_the_session_cookie()
    {
        using var browser = await ui.SignedInBrowserAsync();
        using var response = await browser.GetAsync("rpc/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("retry: 1000", await reader.ReadLineAsync());
    }

    [Theory]
    [InlineData("ui/runs")]
    [InlineData("rpc/events")]
    public async Task The_token_in_the_query_string_is_refused_even_when_right(string path)
    {
        using var anonymous = ui.NewClient(null);
        using var refused = await anonymous.GetAsync($"{path}?token={ui.Server.Token}");
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("not accepted in the URL", body);
        Assert.Contains("mltrack ui --open", body);
        Assert.DoesNotContain(ui.Server.Token, body);
        JsonDocument.Parse(body);
    }

    [Fact]
    public async Task Rpc_with_the_token_in_the_query_string_is_refused()
    {
        using var anonymous = ui.NewClient(null);
        using var content = new StringContent("{\"method\":\"runs/list\"}", Encoding.UTF8, "application/json");
        using var refused = await anonymous.PostAsync($"rpc?token={ui.Server.Token}", content);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("not accepted in the URL", body);
        Assert.DoesNotContain(ui.Server.Token, body);
    }

    [Fact]
    public async Task A_cross_origin_post_carrying_the_cookie_is_refused()
    {
        using var browser = await ui.SignedInBrowserAsync();
        var (status, body) = await ui.PageRpcAsync(browser, RpcMethods.RunsList, new { }, origin: "http://evil.example");
        Assert.Equal(403, status);
        Assert.Equal("PERMISSION_DENIED", (string?)body["error"]!["data"]!["errorCode"]);
        // another port of the same host is the same site (the cookie goes along) but another origin
        (status, _) = await ui.PageRpcAsync(browser, RpcMethods.RunsList, new { }, origin: "http://127.0.0.1:1");
        Assert.Equal(403, status);
    }

    [Fact]
    public async Task A_cookie_post_that_shows_no_origin_is_refused()
    {
        using var browser = await ui.SignedInBrowserAsync();
        using var content = new StringContent("{\"method\":\"runs/list\"}", Encoding.UTF8, "application/json");
        using var response = await browser.PostAsync("rpc", content);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Origin", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Minting_a_code_needs_the_bearer_token()
    {
        using var anonymous = ui.NewClient(null);
        using var refused = await anonymous.PostAsync("ui/codes", null);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("UNAUTHENTICATED", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error_code").GetString());

        using var browser = await ui.SignedInBrowserAsync();
        using var withCookie = new HttpRequestMessage(HttpMethod.Post, "ui/codes");
        withCookie.Headers.Add("Origin", ui.Origin);
        using var cookieOnly = await browser.SendAsync(withCookie);
        Assert.Equal(HttpStatusCode.Unauthorized, cookieOnly.StatusCode);
    }

    [Fact]
    public async Task A_minted_code_opens_the_ui_once()
    {
        using var minted = await ui.Client.PostAsync("ui/codes", null);
        Assert.Equal(HttpStatusCode.OK, minted.StatusCode);
        var answer = JsonDocument.Parse(await minted.Content.ReadAsStringAsync()).RootElement;
        var code = answer.GetProperty("code").GetString()!;
        Assert.Equal($"{ui.Origin}/ui/runs?code={code}", answer.GetProperty("url").GetString());
        Assert.Equal(120, answer.GetProperty("expiresInSeconds").GetInt32());
        Assert.DoesNotContain(ui.Server.Token, answer.GetRawText());

        using var browser = ui.NewBrowser();
        using var signedIn = await browser.GetAsync(answer.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        using var page = await browser.GetAsync(signedIn.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }
}
