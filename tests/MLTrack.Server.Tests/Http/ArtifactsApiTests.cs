using System.Net;
using System.Security.Cryptography;

namespace MLTrack.Server.Tests.Http;

/// <summary>
/// Contract of artifacts/list and the proxied artifact endpoints MLflow's client uses for mlflow-artifacts:/ URIs, run
/// on a server with each artifact store (<see cref="ArtifactsApiTests"/>: the local folder; S3ArtifactsApiTests: S3).
/// </summary>
public abstract class ArtifactsApiContract(ServerFixture f)
{
    private const string Proxy = "api/2.0/mlflow-artifacts/artifacts";

    private async Task<(string Exp, string Run)> NewRun()
    {
        var exp = await f.CreateExperimentAsync();
        return (exp, await f.CreateRunAsync(exp));
    }

    private async Task<HttpStatusCode> Put(string path, byte[] bytes, HttpClient? client = null)
    {
        using var content = new ByteArrayContent(bytes);
        using var response = await (client ?? f.Client).PutAsync($"{Proxy}/{path}", content);
        return response.StatusCode;
    }

    /// <summary>Everything under the store's folder (artifacts, db, token, cache...) and in the artifact store, to check that a refused request wrote nothing.</summary>
    private Task<IReadOnlyList<string>> AllFiles() => f.EverythingStoredAsync();

    [Fact]
    public async Task Put_then_get_round_trips_the_bytes_exactly_and_records_size_and_sha256()
    {
        var (exp, run) = await NewRun();
        var bytes = RandomNumberGenerator.GetBytes(300_000);

        var put = await Put($"{exp}/{run}/artifacts/model/weights.bin", bytes);
        var got = await f.Client.GetByteArrayAsync($"{Proxy}/{exp}/{run}/artifacts/model/weights.bin");

        Assert.Equal(HttpStatusCode.OK, put);
        Assert.Equal(bytes, got);
        var info = Assert.Single(f.Store.ListArtifacts(run));
        Assert.Equal("model/weights.bin", info.Path);
        Assert.Equal(bytes.Length, info.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), info.Sha256);
        Assert.Equal(bytes, await f.StoredBytesAsync(run, "model/weights.bin"));
    }

    [Fact]
    public async Task Put_accepts_the_run_id_form_of_the_path()
    {
        var (_, run) = await NewRun();

        var put = await Put($"{run}/artifacts/notes.txt", "hello"u8.ToArray());

        Assert.Equal(HttpStatusCode.OK, put);
        Assert.Equal("hello"u8.ToArray(), await f.StoredBytesAsync(run, "notes.txt"));
    }

    [Fact]
    public async Task An_upload_larger_than_the_json_limit_is_accepted()
    {
        var (exp, run) = await NewRun();
        var bytes = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);

        var put = await Put($"{exp}/{run}/artifacts/big.bin", bytes);

        Assert.Equal(HttpStatusCode.OK, put);
        Assert.Equal(bytes, await f.StoredBytesAsync(run, "big.bin"));
    }

    [Fact]
    public async Task Proxied_list_shows_names_with_is_dir_and_file_size()
    {
        var (exp, run) = await NewRun();
        await Put($"{exp}/{run}/artifacts/a.txt", new byte[3]);
        await Put($"{exp}/{run}/artifacts/sub/b.txt", new byte[5]);

        var root = await f.GetAsync($"{Proxy}?path={exp}/{run}/artifacts");
        var sub = await f.GetAsync($"{Proxy}?path={exp}/{run}/artifacts/sub");

        var files = root.Json.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(["a.txt", "sub"], files.Select(x => x.GetProperty("path").GetString()));
        Assert.False(files[0].GetProperty("is_dir").GetBoolean());
        Assert.Equal(3, files[0].GetProperty("file_size").GetInt64());
        Assert.True(files[1].GetProperty("is_dir").GetBoolean());
        var b = Assert.Single(sub.Json.GetProperty("files").EnumerateArray());
        Assert.Equal("b.txt", b.GetProperty("path").GetString());
        Assert.Equal(5, b.GetProperty("file_size").GetInt64());
    }

    [Fact]
    public async Task Tracking_artifacts_list_gives_paths_from_the_run_root_and_the_root_uri()
    {
        var (exp, run) = await NewRun();
        await Put($"{exp}/{run}/artifacts/sub/b.txt", new byte[5]);

        var root = await f.GetAsync($"artifacts/list?run_id={run}");
        var sub = await f.GetAsync($"artifacts/list?run_id={run}&path=sub");

        Assert.Equal($"mlflow-artifacts:/{exp}/{run}/artifacts", root.Json.GetProperty("root_uri").GetString());
        var dir = Assert.Single(root.Json.GetProperty("files").EnumerateArray());
        Assert.Equal("sub", dir.GetProperty("path").GetString());
        Assert.True(dir.GetProperty("is_dir").GetBoolean());
        Assert.Equal("sub/b.txt", Assert.Single(sub.Json.GetProperty("files").EnumerateArray()).GetProperty("path").GetString());
    }

    [Fact]
    public async Task Tracking_artifacts_list_of_a_run_without_artifacts_is_empty()
    {
        var (_, run) = await NewRun();

        var r = await f.GetAsync($"artifacts/list?run_id={run}");

        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal(0, r.Json.GetProperty("files").GetArrayLength());
    }

    [Fact]
    public async Task A_dot_dot_path_sent_raw_is_400_and_writes_nothing()
    {
        var (exp, run) = await NewRun();
        var before = await AllFiles();

        var status = await f.SendRawAsync($"PUT /{Proxy}/{exp}/{run}/artifacts/../../../../escape.txt", body: "evil");

        Assert.Equal(400, status);
        Assert.Equal(before, await AllFiles());
    }

    [Fact]
    public async Task A_dot_dot_path_with_encoded_slashes_is_400_and_writes_nothing()
    {
        var (exp, run) = await NewRun();
        var before = await AllFiles();

        var status = await Put($"{exp}/{run}/artifacts/..%2F..%2F..%2Fescape.txt", "evil"u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(before, await AllFiles());
        Assert.False(File.Exists(Path.Combine(f.Store.ArtifactRoot, "escape.txt")));
    }

    [Fact]
    public async Task An_absolute_path_is_400_and_writes_nothing()
    {
        var (exp, run) = await NewRun();
        var target = Path.Combine(f.Root, "abs.txt");
        var before = await AllFiles();

        var status = await Put($"{exp}/{run}/artifacts/{Uri.EscapeDataString(target)}", "evil"u8.ToArray());
        var list = await f.GetAsync($"artifacts/list?run_id={run}&path={Uri.EscapeDataString(f.Root)}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(HttpStatusCode.BadRequest, list.Status);
        Assert.Equal(before, await AllFiles());
    }

    [Fact]
    public async Task A_NUL_in_the_path_is_400_and_writes_nothing()
    {
        var (exp, run) = await NewRun();
        var before = await AllFiles();

        var status = await Put($"{exp}/{run}/artifacts/a%00b.txt", "evil"u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(before, await AllFiles());
    }

    [Fact]
    public async Task A_backslash_in_the_path_is_400()
    {
        var (exp, run) = await NewRun();

        var status = await Put($"{exp}/{run}/artifacts/..%5C..%5Cx.txt", "evil"u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task A_dot_dot_list_path_is_400()
    {
        var (_, run) = await NewRun();

        var r = await f.GetAsync($"artifacts/list?run_id={run}&path=..%2F..");

        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Equal("INVALID_PARAMETER_VALUE", r.ErrorCode);
    }

    [Fact]
    public async Task Getting_a_missing_artifact_is_404()
    {
        var (exp, run) = await NewRun();

        var r = await f.GetAsync($"{Proxy}/{exp}/{run}/artifacts/missing.txt");

        Assert.Equal(HttpStatusCode.NotFound, r.Status);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", r.ErrorCode);
    }

    [Fact]
    public async Task Uploading_to_an_unknown_run_is_404_and_writes_nothing()
    {
        var run = Guid.NewGuid().ToString("N");

        var status = await Put($"0/{run}/artifacts/x.txt", "x"u8.ToArray());

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Null(await f.StoredBytesAsync(run, "x.txt"));
        Assert.DoesNotContain(await AllFiles(), p => p.Contains(run, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Uploading_to_a_deleted_run_is_refused()
    {
        var (exp, run) = await NewRun();
        await f.PostAsync("runs/delete", new { run_id = run });

        var status = await Put($"{exp}/{run}/artifacts/x.txt", "x"u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Null(await f.StoredBytesAsync(run, "x.txt"));
    }

    [Fact]
    public async Task A_path_not_shaped_like_a_run_artifact_path_is_400()
    {
        var status = await Put("somewhere/else.txt", "x"u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }
}

/// <summary>The artifact API contract with artifacts in the store's local folder (the embedded default).</summary>
public sealed class ArtifactsApiTests(ServerFixture f) : ArtifactsApiContract(f), IClassFixture<ServerFixture>;
