using System.Net;
using System.Net.Sockets;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Artifacts.S3;
using MLTrack.Core.Launch;
using MLTrack.Core.Runs;
using MLTrack.Core.Tests.Launch;

namespace MLTrack.Core.Tests.S3;

/// <summary>What only the S3 artifact store does: big files in parts, its local cache, several stores over one bucket, S3 being down.</summary>
[Collection(S3rverCollection.Name)]
public sealed class S3ArtifactStoreTests(S3rverFixture s3) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mltrack-s3-artifacts-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private string Cache(string name = "cache") => Path.Combine(_folder, name);

    private static string NewRunId() => Guid.NewGuid().ToString("N");

    private static async Task<byte[]> ReadAllAsync(IArtifactStore store, string runId, string path, string? knownSha256 = null)
    {
        await using var opened = await store.OpenReadAsync(runId, path, new ArtifactReadOptions { KnownSha256 = knownSha256 });
        using var copy = new MemoryStream();
        await opened.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task A_file_above_the_multipart_threshold_is_uploaded_in_parts_and_read_back_equal()
    {
        var bucket = (await s3.NewStorageAsync()).Bucket;
        var options = s3.Options(bucket, "p") with { MultipartThreshold = 5 * S3StorageOptions.MiB, PartSize = 5 * S3StorageOptions.MiB };
        using var store = new S3ArtifactStore(new S3ModelStorage(options), Cache());
        using var other = new S3ArtifactStore(new S3ModelStorage(options), Cache("other"));
        var run = NewRunId();
        var bytes = S3TestFiles.RandomBytes(12 * 1024 * 1024 + 123);

        var info = await store.WriteAsync(run, "model.bin", new MemoryStream(bytes));

        Assert.Equal(3, s3.LogLines(bucket).Count(l => l.Contains("Stored part")));
        Assert.Equal(S3TestFiles.Sha256(bytes), info.Sha256);
        Assert.Equal(bytes, await s3.Http.GetByteArrayAsync(s3.ObjectUrl(bucket, $"p/{run}/model.bin")));
        Assert.Equal(bytes, await ReadAllAsync(other, run, "model.bin")); // downloaded by a store with an empty cache
    }

    [Fact]
    public async Task A_store_with_an_empty_cache_reads_what_another_store_wrote_to_the_same_bucket()
    {
        var storage = await s3.NewStorageAsync("shared");
        using var a = new S3ArtifactStore(storage, Cache("a"));
        using var b = new S3ArtifactStore(new S3ModelStorage(s3.Options(storage.Bucket, "shared")), Cache("b"));
        var run = NewRunId();
        await a.WriteAsync(run, "sub/x.txt", new MemoryStream("from a"u8.ToArray()));

        Assert.Equal("from a"u8.ToArray(), await ReadAllAsync(b, run, "sub/x.txt"));
        Assert.Equal([new ArtifactEntry("sub", true, null)], await b.ListAsync(run, ""));

        await b.WriteAsync(run, "sub/x.txt", new MemoryStream("from b"u8.ToArray()));
        Assert.Equal("from b"u8.ToArray(), await ReadAllAsync(a, run, "sub/x.txt")); // a's cached copy is of other content
    }

    [Fact]
    public async Task A_cached_artifact_is_served_with_S3_stopped_when_its_sha256_is_known()
    {
        var own = new S3rverFixture();
        await own.InitializeAsync();
        IArtifactStore store;
        var run = NewRunId();
        ArtifactInfo info;
        try
        {
            store = new S3ArtifactStore(await own.NewStorageAsync("p"), Cache());
            info = await store.WriteAsync(run, "model.pkl", new MemoryStream("weights"u8.ToArray()));
        }
        finally
        {
            await own.DisposeAsync(); // s3rver is gone from here on
        }
        using (store)
        {
            Assert.Equal("weights"u8.ToArray(), await ReadAllAsync(store, run, "model.pkl", info.Sha256));

            var unknown = await Assert.ThrowsAsync<ArtifactStoreException>(() => ReadAllAsync(store, run, "model.pkl"));
            Assert.Contains(own.ServiceUrl, unknown.Message);
        }
    }

    [Fact]
    public async Task An_upload_to_an_unreachable_endpoint_fails_naming_it_and_leaves_nothing_in_the_cache()
    {
        var endpoint = $"http://127.0.0.1:{ClosedPort()}";
        using var store = new S3ArtifactStore(new S3ModelStorage(s3.Options("bucket", "p") with { ServiceUrl = endpoint, MaxErrorRetry = 0 }), Cache());

        var e = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.WriteAsync(NewRunId(), "a.txt", new MemoryStream([1, 2, 3])));

        Assert.Equal(endpoint, e.Endpoint);
        Assert.Contains(endpoint, e.Message);
        Assert.Contains("Cannot store artifact 'a.txt'", e.Message);
        Assert.Contains("EndpointUnreachable", e.Message);
        Assert.Equal(MLTrack.Core.Storage.StoreErrorCode.StoreUnavailable, e.Code);
        Assert.Empty(Directory.Exists(Cache()) ? Directory.GetFiles(Cache(), "*", SearchOption.AllDirectories) : []);
        await Assert.ThrowsAsync<ArtifactStoreException>(() => store.CheckAsync());
    }

    [Fact]
    public async Task A_missing_bucket_fails_the_check_with_NoSuchBucket()
    {
        using var store = new S3ArtifactStore(new S3ModelStorage(s3.Options(S3rverFixture.NewBucketName())), Cache());

        var e = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.CheckAsync());

        Assert.Contains("NoSuchBucket", e.Message);
    }

    [Fact]
    public async Task A_second_read_is_served_from_the_local_copy_without_downloading_again()
    {
        var storage = await s3.NewStorageAsync("p");
        using var writer = new S3ArtifactStore(storage, Cache("w"));
        using var reader = new S3ArtifactStore(new S3ModelStorage(s3.Options(storage.Bucket, "p")), Cache("r"));
        var run = NewRunId();
        var info = await writer.WriteAsync(run, "a.bin", new MemoryStream(S3TestFiles.RandomBytes(1000)));
        await ReadAllAsync(reader, run, "a.bin");
        // Marks the local copy (same size): a second download would bring S3's bytes back.
        var copy = Path.Combine(Cache("r"), "objects", info.Sha256, "a.bin");
        await File.WriteAllBytesAsync(copy, new byte[1000]);

        var second = await ReadAllAsync(reader, run, "a.bin");

        Assert.Equal(new byte[1000], second);
    }

    [Fact]
    public async Task A_link_planted_in_the_cache_is_never_followed()
    {
        var storage = await s3.NewStorageAsync("p");
        using var store = new S3ArtifactStore(storage, Cache());
        var run = NewRunId();
        var info = await store.WriteAsync(run, "a.txt", new MemoryStream("real"u8.ToArray()));
        var outside = Path.Combine(_folder, "outside");
        Directory.CreateDirectory(outside);
        await File.WriteAllTextAsync(Path.Combine(outside, "a.txt"), "planted");
        var cached = Path.Combine(Cache(), "objects", info.Sha256);
        Directory.Delete(cached, recursive: true);
        Directory.CreateSymbolicLink(cached, outside);

        var e = await Record.ExceptionAsync(() => ReadAllAsync(store, run, "a.txt", info.Sha256));

        Assert.IsType<ArtifactPathException>(e);
        Assert.Equal("planted", await File.ReadAllTextAsync(Path.Combine(outside, "a.txt")));
    }

    [Fact]
    public async Task The_launcher_stores_its_log_in_S3_and_records_the_s3_location_as_the_runs_artifact_uri()
    {
        using var temp = new TempStore();
        var storage = await s3.NewStorageAsync("runs");
        using var store = new S3ArtifactStore(storage, Cache());

        var result = await new RunLauncher(temp.Store, store).RunAsync(new LaunchRequest { Command = ["sh", "-c", "echo x=1"], Cwd = temp.Folder });

        var stored = await s3.Http.GetStringAsync(s3.ObjectUrl(storage.Bucket, $"runs/{result.RunId}/{RunLauncher.LogArtifactPath}"));
        Assert.Contains("x=1", stored);
        Assert.Equal($"s3://{storage.Bucket}/runs/{result.RunId}", temp.Store.GetRun(result.RunId).ArtifactUri);
        var recorded = Assert.Single(temp.Store.ListArtifacts(result.RunId));
        Assert.Equal(S3TestFiles.Sha256(System.Text.Encoding.UTF8.GetBytes(stored)), recorded.Sha256);
        Assert.Empty(Directory.GetFiles(Path.Combine(Cache(), "staging"), "*", SearchOption.AllDirectories)); // no longer only local
    }

    [Fact]
    public async Task With_S3_down_a_launched_run_keeps_its_metadata_and_its_log_stays_local()
    {
        using var temp = new TempStore();
        var endpoint = $"http://127.0.0.1:{ClosedPort()}";
        using var store = new S3ArtifactStore(new S3ModelStorage(s3.Options("bucket", "p") with { ServiceUrl = endpoint, MaxErrorRetry = 0 }), Cache());

        var result = await new RunLauncher(temp.Store, store).RunAsync(new LaunchRequest
        {
            Command = ["sh", "-c", "echo loss=0.5"],
            Cwd = temp.Folder,
            Params = new Dictionary<string, string> { ["lr"] = "0.1" },
        });

        var run = temp.Store.GetRun(result.RunId);
        Assert.Equal(RunStatus.FINISHED, run.Status);
        Assert.Equal("0.1", run.Params["lr"]);
        Assert.Contains(temp.Store.GetMetricHistory(result.RunId, "loss"), p => p.Value == 0.5);
        Assert.Contains(endpoint, result.Error);
        Assert.Empty(temp.Store.ListArtifacts(result.RunId));
        Assert.Contains("loss=0.5", await File.ReadAllTextAsync(store.LocalFolder(result.RunId).Resolve(RunLauncher.LogArtifactPath)));
    }

    [Fact]
    public async Task RunArtifacts_over_S3_read_slices_and_record_what_they_write()
    {
        using var temp = new TempStore();
        using var store = new S3ArtifactStore(await s3.NewStorageAsync("p"), Cache());
        var run = temp.Store.CreateRun(new NewRun { ArtifactLocation = store.Location });
        var artifacts = new RunArtifacts(temp.Store, store, run.RunId);

        var info = artifacts.WriteText("code.diff", "diff --git a b\n+x\n");
        var slice = artifacts.Read("code.diff", 7, 3);

        Assert.Equal([info], temp.Store.ListArtifacts(run.RunId));
        Assert.Equal("git"u8.ToArray(), slice.Data);
        Assert.True(slice.Truncated);
        Assert.Throws<FileNotFoundException>(() => artifacts.Read("nothing.txt", 0, 10));
    }

    [Fact]
    public async Task A_stored_local_file_leaves_no_empty_folder_in_the_listing()
    {
        using var store = new S3ArtifactStore(await s3.NewStorageAsync("p"), Cache());
        var run = NewRunId();
        await File.WriteAllTextAsync(store.LocalFolder(run).PrepareFile("logs/output.log"), "done\n");
        await store.StoreLocalFileAsync(run, "logs/output.log");
        await store.Storage.DeleteAsync($"{run}/logs/output.log"); // gone from S3 behind the store's back

        Assert.Empty(await store.ListAsync(run, ""));
    }
}
