using System.Net;
using System.Text.RegularExpressions;

namespace MLTrack.Server.Tests.Ui;

/// <summary><c>GET /ui/&lt;panel&gt;</c> and <c>/ui/assets/*</c>: the shell with a fresh nonce and a strict CSP, the built files, nothing else.</summary>
public sealed partial class UiPagesTests(UiFixture ui) : IClassFixture<UiFixture>
{
    [GeneratedRegex("<script nonce=\"([^\"]+)\" src=\"/ui/assets/main.js\"></script>")]
    private static partial Regex ScriptTag();

    private async Task<(HttpResponseMessage Response, string Html)> PageAsync(string path)
    {
        using var anonymous = ui.NewClient(null);
        var response = await anonymous.GetAsync(path);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpResponseMessage Response, string Html)> PageAsync(HttpClient browser, string path)
    {
        var response = await browser.GetAsync(path);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("runs")]
    [InlineData("charts")]
    [InlineData("compare")]
    [InlineData("run")]
    [InlineData("lineage")]
    [InlineData("search")]
    public async Task Each_panel_page_is_the_shell_with_a_fresh_nonce_and_csp(string panel)
    {
        using var browser = await ui.SignedInBrowserAsync();
        var (r1, html1) = await PageAsync(browser, $"ui/{panel}");
        var (r2, html2) = await PageAsync(browser, $"ui/{panel}");
        Assert.Equal(HttpStatusCode.OK, r1.StatusCode);
        Assert.Equal("text/html", r1.Content.Headers.ContentType!.MediaType);
        var n1 = ScriptTag().Match(html1).Groups[1].Value;
        var n2 = ScriptTag().Match(html2).Groups[1].Value;
        Assert.True(n1.Length >= 16, html1);
        Assert.NotEqual(n1, n2);
        var csp = string.Join(";", r1.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains($"script-src 'nonce-{n1}'", csp);
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("connect-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Contains($"'nonce-{n1}'", html1); // the meta tag states the same policy
        Assert.Equal("nosniff", r1.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains($"data-panel=\"{panel}\"", html1);
        Assert.Contains("data-rpc=\"/rpc\"", html1);
        Assert.Contains("<div id=\"app\"></div>", html1);
        Assert.Contains("href=\"/ui/assets/main.css\"", html1);
        Assert.DoesNotContain("{{", html1);
        r1.Dispose();
        r2.Dispose();
    }

    [Fact]
    public async Task Args_are_html_escaped_json()
    {
        var args = "{\"runId\":\"abc\",\"q\":\"<script>\\\"&'\"}";
        using var browser = await ui.SignedInBrowserAsync();
        var (r, html) = await PageAsync(browser, $"ui/run?args={Uri.EscapeDataString(args)}");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("data-args=\"{&quot;runId&quot;:&quot;abc&quot;,&quot;q&quot;:&quot;&lt;script&gt;\\&quot;&amp;&#39;&quot;}\"", html);
        Assert.DoesNotContain("<script>\\", html);
        var (bad, _) = await PageAsync(browser, "ui/run?args=%7Bnot-json");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Pages_need_a_signed_in_browser_or_the_bearer_token()
    {
        var (r, html) = await PageAsync("ui/runs");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("mltrack ui --open", html);
        Assert.DoesNotContain(ui.Server.Token, html);
        using var wrong = ui.NewClient("wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await PageAsync(wrong, "ui/runs")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PageAsync(ui.Client, "ui/runs")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PageAsync(ui.Client, "ui/nope")).Response.StatusCode);
    }

    [Fact]
    public async Task A_refusal_is_a_page_for_a_browser_and_json_for_a_program()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "ui/runs");
        request.Headers.Add("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        using var anonymous = ui.NewClient(null);
        using var page = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("<h1>Sign-in needed</h1>", await page.Content.ReadAsStringAsync());

        var (json, text) = await PageAsync("ui/runs");
        Assert.Equal("application/json", json.Content.Headers.ContentType!.MediaType);
        var error = System.Text.Json.JsonDocument.Parse(text).RootElement;
        Assert.Equal("UNAUTHENTICATED", error.GetProperty("error_code").GetString());
        Assert.Contains("mltrack ui --open", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Ui_root_redirects_to_the_runs_page()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = ui.Server.BaseAddress };
        using var r = await client.GetAsync("ui?args=%7B%7D");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal("/ui/runs?args=%7B%7D", r.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Assets_are_served_with_their_types()
    {
        var (js, text) = await PageAsync("ui/assets/main.js");
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
        Assert.Equal(UiFixture.MainJs, text);
        Assert.Contains("javascript", js.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", js.Headers.GetValues("X-Content-Type-Options").Single());
        var (css, _) = await PageAsync("ui/assets/main.css");
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
        var (nested, _) = await PageAsync("ui/assets/chunks/a.js");
        Assert.Equal(HttpStatusCode.OK, nested.StatusCode);
        var (missing, _) = await PageAsync("ui/assets/nope.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("/ui/assets/../shell.html")]
    [InlineData("/ui/assets/%2e%2e/shell.html")]
    [InlineData("/ui/assets/..%2f..%2fsecret.txt")]
    [InlineData("/ui/assets/%2e%2e%2f%2e%2e%2fsecret.txt")]
    [InlineData("/ui/assets/chunks/../../../secret.txt")]
    [InlineData("/ui/assets/..%5c..%5csecret.txt")]
    [InlineData("/ui/assets//etc/passwd")]
    [InlineData("/ui/assets/%2fetc%2fpasswd")]
    public async Task Path_traversal_is_refused(string rawPath)
    {
        // sent as written: HttpClient would otherwise resolve the dots itself
        using var client = new HttpClient();
        var uri = new Uri(ui.Server.BaseAddress.GetLeftPart(UriPartial.Authority) + rawPath, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var r = await client.GetAsync(uri);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.Unauthorized, $"{rawPath} → {(int)r.StatusCode}");
        Assert.DoesNotContain("not for the browser", body);
        Assert.DoesNotContain("root:", body);
        Assert.DoesNotContain("data-panel", body);
    }
}
