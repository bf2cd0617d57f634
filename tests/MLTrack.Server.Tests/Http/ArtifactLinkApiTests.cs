using System.Net;
using System.Text;

namespace MLTrack.Server.Tests.Http;

/// <summary>
/// Symbolic links in a run's artifact folder (a tracked script can place them) are never followed by the REST
/// endpoints: not served, not listed, not written through — refused with 400 INVALID_PARAMETER_VALUE naming the path.
/// Real links in the real store of a real server.
/// </summary>
public sealed class ArtifactLinkApiTests(ServerFixture f) : IClassFixture<ServerFixture>
{
    private const string Proxy = "api/2.0/mlflow-artifacts/artifacts";

    private async Task<(string Exp, string Run, string Folder, string Outside)> RunWithLink(string linkName = "link_out")
    {
        var exp = await f.CreateExperimentAsync();
        var run = await f.CreateRunAsync(exp);
        var folder = Path.Combine(f.Store.ArtifactRoot, run);
        Directory.CreateDirectory(folder);
        var outside = Path.Combine(f.Root, "outside-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "secret");
        Directory.CreateSymbolicLink(Path.Combine(folder, linkName), outside);
        return (exp, run, folder, outside);
    }

    private static string[] Entries(string dir) => Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories).Order().ToArray();

    private async Task<(HttpStatusCode Status, string Body)> Put(string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        using var response = await f.Client.PutAsync($"{Proxy}/{path}", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static void AssertRefusedAsLink(ApiResponse r, string path)
    {
        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
        Assert.Contains($"'{path}'", r.Message);
        Assert.Contains("symbolic link", r.Message);
    }

    [Fact]
    public async Task Get_through_a_folder_link_to_outside_is_400_and_serves_nothing_of_it()
    {
        var (exp, run, _, outside) = await RunWithLink();

        var r = await f.GetAsync($"{Proxy}/{exp}/{run}/artifacts/link_out/secret.txt");

        AssertRefusedAsLink(r, "link_out/secret.txt");
        Assert.Contains("leaves the run's artifact folder through a symbolic link", r.Message);
        Assert.DoesNotContain(outside, r.Body);
    }

    [Fact]
    public async Task Get_of_a_file_link_to_etc_passwd_is_400_not_500()
    {
        var exp = await f.CreateExperimentAsync();
        var run = await f.CreateRunAsync(exp);
        var folder = Path.Combine(f.Store.ArtifactRoot, run);
        Directory.CreateDirectory(folder);
        File.CreateSymbolicLink(Path.Combine(folder, "passwd"), "/etc/passwd");

        var r = await f.GetAsync($"{Proxy}/{exp}/{run}/artifacts/passwd");

        AssertRefusedAsLink(r, "passwd");
        Assert.DoesNotContain("root:", r.Body);
    }

    [Fact]
    public async Task Listings_leave_out_a_link_to_outside_and_refuse_to_list_through_it()
    {
        var (exp, run, folder, _) = await RunWithLink();
        File.WriteAllText(Path.Combine(folder, "a.txt"), "a");

        var proxied = await f.GetAsync($"{Proxy}?path={exp}/{run}/artifacts");
        var tracking = await f.GetAsync($"artifacts/list?run_id={run}");
        var through = await f.GetAsync($"{Proxy}?path={exp}/{run}/artifacts/link_out");
        var throughTracking = await f.GetAsync($"artifacts/list?run_id={run}&path=link_out");

        Assert.Equal(["a.txt"], proxied.Json.GetProperty("files").EnumerateArray().Select(x => x.GetProperty("path").GetString()));
        Assert.Equal(["a.txt"], tracking.Json.GetProperty("files").EnumerateArray().Select(x => x.GetProperty("path").GetString()));
        AssertRefusedAsLink(through, "link_out");
        AssertRefusedAsLink(throughTracking, "link_out");
        Assert.DoesNotContain("secret.txt", through.Body);
    }

    [Fact]
    public async Task Put_through_a_folder_link_is_400_and_creates_nothing_outside()
    {
        var (exp, run, _, outside) = await RunWithLink();
        var before = Entries(outside);

        var (status, body) = await Put($"{exp}/{run}/artifacts/link_out/x.txt", "evil");
        var (deeper, _) = await Put($"{exp}/{run}/artifacts/link_out/new/x.txt", "evil");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("INVALID_PARAMETER_VALUE", body);
        Assert.Contains("symbolic link", body);
        Assert.Equal(HttpStatusCode.BadRequest, deeper);
        Assert.Equal(before, Entries(outside));
        Assert.Empty(f.Store.ListArtifacts(run));
    }

    [Fact]
    public async Task Put_onto_an_existing_file_link_is_400_and_the_linked_file_keeps_its_content()
    {
        var exp = await f.CreateExperimentAsync();
        var run = await f.CreateRunAsync(exp);
        var folder = Path.Combine(f.Store.ArtifactRoot, run);
        Directory.CreateDirectory(folder);
        var target = Path.Combine(f.Root, "victim-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllText(target, "original");
        File.CreateSymbolicLink(Path.Combine(folder, "out.txt"), target);

        var (status, body) = await Put($"{exp}/{run}/artifacts/out.txt", "overwritten");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'out.txt'", body);
        Assert.Equal("original", File.ReadAllText(target));
        Assert.NotNull(new FileInfo(Path.Combine(folder, "out.txt")).LinkTarget);
    }

    [Fact]
    public async Task The_rule_a_link_to_a_file_inside_the_same_run_folder_is_neither_served_nor_listed()
    {
        var exp = await f.CreateExperimentAsync();
        var run = await f.CreateRunAsync(exp);
        var folder = Path.Combine(f.Store.ArtifactRoot, run);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "real.txt"), "inside");
        File.CreateSymbolicLink(Path.Combine(folder, "alias.txt"), Path.Combine(folder, "real.txt"));

        var get = await f.GetAsync($"{Proxy}/{exp}/{run}/artifacts/alias.txt");
        var list = await f.GetAsync($"{Proxy}?path={exp}/{run}/artifacts");

        AssertRefusedAsLink(get, "alias.txt");
        Assert.Contains("never followed, even to files inside it", get.Message);
        Assert.Equal(["real.txt"], list.Json.GetProperty("files").EnumerateArray().Select(x => x.GetProperty("path").GetString()));
    }

    [Fact]
    public async Task A_run_folder_that_is_itself_a_link_is_refused_for_reads_lists_and_writes()
    {
        var exp = await f.CreateExperimentAsync();
        var run = await f.CreateRunAsync(exp);
        var outside = Path.Combine(f.Root, "outside-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "secret");
        Directory.CreateSymbolicLink(Path.Combine(f.Store.ArtifactRoot, run), outside);
        var before = Entries(outside);

        var get = await f.GetAsync($"{Proxy}/{exp}/{run}/artifacts/secret.txt");
        var list = await f.GetAsync($"artifacts/list?run_id={run}");
        var (put, _) = await Put($"{exp}/{run}/artifacts/x.txt", "evil");

        Assert.Equal(HttpStatusCode.BadRequest, get.Status);
        Assert.Equal(HttpStatusCode.BadRequest, list.Status);
        Assert.Equal(HttpStatusCode.BadRequest, put);
        Assert.Equal(before, Entries(outside));
    }
}
