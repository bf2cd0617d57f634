using MLTrack.Core.Artifacts;
using MLTrack.Core.Artifacts.S3;
using MLTrack.Core.Launch;
using MLTrack.Core.Runs;
using MLTrack.Core.Tests.Launch;

namespace MLTrack.Core.Tests.S3;

[Collection(S3rverCollection.Name)]
public sealed class S3ArtifactMirrorTests(S3rverFixture s3) : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<S3ArtifactMirror> NewMirrorAsync(string prefix)
    {
        var storage = new S3ModelStorage(s3.Options(S3rverFixture.NewBucketName(), prefix));
        await storage.EnsureBucketAsync();
        return new S3ArtifactMirror(storage);
    }

    [Fact]
    public async Task A_recorded_artifact_is_uploaded_byte_for_byte_under_prefix_run_and_path()
    {
        using var mirror = await NewMirrorAsync("team/p");
        var run = _temp.Store.CreateRun(new NewRun());
        var bytes = S3TestFiles.RandomBytes(5000);
        var artifacts = new RunArtifacts(_temp.Store, run.RunId, mirror);
        await File.WriteAllBytesAsync(artifacts.PrepareFile("logs/output.log"), bytes);

        var info = artifacts.Record("logs/output.log");

        var stored = await s3.Http.GetByteArrayAsync(s3.ObjectUrl(mirror.Storage.Bucket, $"team/p/{run.RunId}/logs/output.log"));
        Assert.Equal(bytes, stored);
        Assert.Equal(S3TestFiles.Sha256(bytes), info.Sha256);
    }

    [Fact]
    public async Task Reading_an_artifact_whose_local_file_is_gone_downloads_it_from_S3()
    {
        using var mirror = await NewMirrorAsync("p");
        var run = _temp.Store.CreateRun(new NewRun());
        var artifacts = new RunArtifacts(_temp.Store, run.RunId, mirror);
        artifacts.WriteText("code.diff", "diff --git a b\n+x\n");
        File.Delete(artifacts.GetLocalPath("code.diff"));

        var slice = artifacts.Read("code.diff", 0, 1000);

        Assert.Equal("diff --git a b\n+x\n"u8.ToArray(), slice.Data);
        Assert.True(File.Exists(artifacts.GetLocalPath("code.diff")));
    }

    [Fact]
    public async Task A_missing_artifact_stays_missing_with_the_mirror()
    {
        using var mirror = await NewMirrorAsync("p");
        var artifacts = new RunArtifacts(_temp.Store, "r-none", mirror);
        Assert.Throws<FileNotFoundException>(() => artifacts.Read("nothing.txt", 0, 10));
    }

    [Fact]
    public async Task The_launcher_log_is_uploaded_when_a_run_ends()
    {
        using var mirror = await NewMirrorAsync("runs");
        var result = await new RunLauncher(_temp.Store, mirror).RunAsync(new LaunchRequest { Command = ["sh", "-c", "echo x=1"] });

        var stored = await s3.Http.GetStringAsync(s3.ObjectUrl(mirror.Storage.Bucket, $"runs/{result.RunId}/{RunLauncher.LogArtifactPath}"));
        Assert.Contains("x=1", stored);
    }

    [Fact]
    public async Task A_file_reached_through_a_link_out_of_the_run_folder_is_never_uploaded()
    {
        using var mirror = await NewMirrorAsync("p");
        var run = _temp.Store.CreateRun(new NewRun());
        var artifacts = new RunArtifacts(_temp.Store, run.RunId, mirror);
        var outside = Path.Combine(_temp.Folder, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "secret");
        Directory.CreateDirectory(artifacts.Folder.FullPath);
        Directory.CreateSymbolicLink(Path.Combine(artifacts.Folder.FullPath, "link_out"), outside);

        Assert.Throws<ArtifactPathException>(() => artifacts.Record("link_out/secret.txt"));
        await Assert.ThrowsAsync<ArtifactPathException>(() => mirror.UploadAsync(run.RunId, "link_out/secret.txt", artifacts.Folder, S3TestFiles.Sha256("secret"u8.ToArray())));

        using var response = await s3.Http.GetAsync(s3.ObjectUrl(mirror.Storage.Bucket, $"p/{run.RunId}/link_out/secret.txt"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Restoring_an_artifact_whose_path_goes_through_a_link_writes_nothing_outside()
    {
        using var mirror = await NewMirrorAsync("p");
        var run = _temp.Store.CreateRun(new NewRun());
        var source = Path.Combine(_temp.Folder, "source.txt");
        File.WriteAllText(source, "from s3");
        await mirror.Storage.UploadFileAsync(source, S3ArtifactMirror.Key(run.RunId, "link_out/x.txt"));
        var artifacts = new RunArtifacts(_temp.Store, run.RunId, mirror);
        var outside = Path.Combine(_temp.Folder, "outside");
        Directory.CreateDirectory(outside);
        Directory.CreateDirectory(artifacts.Folder.FullPath);
        Directory.CreateSymbolicLink(Path.Combine(artifacts.Folder.FullPath, "link_out"), outside);

        Assert.Throws<ArtifactPathException>(() => artifacts.Read("link_out/x.txt", 0, 100));

        Assert.Empty(Directory.GetFileSystemEntries(outside));
    }

    [Fact]
    public void An_s3_uri_gives_an_S3_mirror_and_anything_else_none()
    {
        Assert.False(IArtifactMirror.FromUri(null).IsEnabled);
        Assert.False(IArtifactMirror.FromUri("/tmp/artifacts").IsEnabled);
        var env = new Dictionary<string, string?> { ["AWS_ENDPOINT_URL"] = s3.ServiceUrl, ["AWS_ACCESS_KEY_ID"] = "S3RVER", ["AWS_SECRET_ACCESS_KEY"] = "S3RVER" };
        using var mirror = Assert.IsType<S3ArtifactMirror>(IArtifactMirror.FromUri("s3://bucket/pre/fix", k => env.GetValueOrDefault(k)));
        Assert.Equal("bucket", mirror.Storage.Bucket);
        Assert.Equal("pre/fix/r1/a.txt", mirror.Storage.ObjectKey(S3ArtifactMirror.Key("r1", "a.txt")));
    }
}
