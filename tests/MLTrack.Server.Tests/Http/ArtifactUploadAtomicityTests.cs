using System.Net;
using System.Security.Cryptography;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Storage.Sqlite;
using MLTrack.Server.Http;

namespace MLTrack.Server.Tests.Http;

/// <summary>
/// Nothing partial of an upload is ever served or listed, with each artifact store (<see cref="ArtifactUploadAtomicityTests"/>:
/// the local folder; S3ArtifactUploadAtomicityTests: S3, where the upload streams to a temporary file of the cache first).
/// </summary>
public abstract class ArtifactUploadAtomicityContract(ServerFixture f)
{
    private const string Proxy = "api/2.0/mlflow-artifacts/artifacts";

    /// <summary>A body that sends its first part, then waits for <see cref="Release"/> before the rest.</summary>
    private sealed class PausedContent(byte[] first, byte[] rest) : HttpContent
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _release.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(first);
            await stream.FlushAsync();
            await _release.Task;
            await stream.WriteAsync(rest);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1; // chunked, as a streaming client sends it
            return false;
        }
    }

    private static async Task<string> WaitForTempFile(string folder, long atLeast)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            var temp = Directory.Exists(folder)
                ? Directory.GetFiles(folder, ArtifactFolder.TempPrefix + "*").FirstOrDefault(p => new FileInfo(p).Length >= atLeast)
                : null;
            if (temp is not null) return temp;
            await Task.Delay(20);
        }
        throw new TimeoutException("the upload never reached the server's temporary file");
    }

    private async Task<(HttpStatusCode Status, string Listing, string TempGet)> ProbeDuringUpload(string exp, string run, PausedContent content, Func<Task<HttpStatusCode>>? extra = null)
    {
        var folder = f.UploadTempFolder(run);
        var put = f.Client.PutAsync($"{Proxy}/{exp}/{run}/artifacts/model.bin", content);
        var temp = await WaitForTempFile(folder, 64 * 1024);
        var get = await f.GetAsync($"{Proxy}/{exp}/{run}/artifacts/model.bin");
        var list = await f.GetAsync($"{Proxy}?path={exp}/{run}/artifacts");
        var tempGet = await f.GetAsync($"{Proxy}/{exp}/{run}/artifacts/{Path.GetFileName(temp)}");
        content.Release();
        using var done = await put;
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        return (get.Status, list.Body, tempGet.Status + " " + tempGet.ErrorCode);
    }

    [Fact]
    public async Task A_first_upload_in_progress_is_404_unlisted_and_its_temporary_file_is_not_served()
    {
        var exp = await f.CreateExperimentAsync();
        var run = await f.CreateRunAsync(exp);
        var first = RandomNumberGenerator.GetBytes(256 * 1024);
        var rest = RandomNumberGenerator.GetBytes(256 * 1024);

        var (status, listing, tempGet) = await ProbeDuringUpload(exp, run, new PausedContent(first, rest));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.DoesNotContain(ArtifactFolder.TempPrefix, listing);
        Assert.DoesNotContain("model.bin", listing);
        Assert.Equal("BadRequest INVALID_PARAMETER_VALUE", tempGet);
        var served = await f.Client.GetByteArrayAsync($"{Proxy}/{exp}/{run}/artifacts/model.bin");
        Assert.Equal(first.Concat(rest).ToArray(), served);
    }

    [Fact]
    public async Task A_replacing_upload_in_progress_leaves_the_previous_complete_file_served()
    {
        var exp = await f.CreateExperimentAsync();
        var run = await f.CreateRunAsync(exp);
        var previous = RandomNumberGenerator.GetBytes(100_000);
        using (var put = await f.Client.PutAsync($"{Proxy}/{exp}/{run}/artifacts/model.bin", new ByteArrayContent(previous)))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var folder = f.UploadTempFolder(run);
        var content = new PausedContent(RandomNumberGenerator.GetBytes(256 * 1024), RandomNumberGenerator.GetBytes(1024));

        var put2 = f.Client.PutAsync($"{Proxy}/{exp}/{run}/artifacts/model.bin", content);
        await WaitForTempFile(folder, 64 * 1024);
        var during = await f.Client.GetByteArrayAsync($"{Proxy}/{exp}/{run}/artifacts/model.bin");
        content.Release();
        using (var done = await put2) Assert.Equal(HttpStatusCode.OK, done.StatusCode);

        Assert.Equal(previous, during);
        Assert.Equal(256 * 1024 + 1024, (await f.Client.GetByteArrayAsync($"{Proxy}/{exp}/{run}/artifacts/model.bin")).Length);
    }
}

/// <summary>Upload atomicity with artifacts in the store's local folder.</summary>
public sealed class ArtifactUploadAtomicityTests(ServerFixture f) : ArtifactUploadAtomicityContract(f), IClassFixture<ServerFixture>;

/// <summary>Temporary files of uploads cut off by a crash are removed when a tracking server starts.</summary>
public sealed class AbandonedUploadCleanupTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mltrack-cleanup-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Starting_a_server_removes_abandoned_upload_files_and_keeps_one_still_being_written()
    {
        var mltrack = Path.Combine(_root, ".mltrack");
        Directory.CreateDirectory(mltrack);
        using var store = SqliteTrackingStore.Open(Path.Combine(mltrack, "mltrack.db"));
        var folder = Path.Combine(store.ArtifactRoot, "0123456789abcdef0123456789abcdef", "model");
        Directory.CreateDirectory(folder);
        var abandoned = Path.Combine(folder, ArtifactFolder.TempPrefix + "dead");
        File.WriteAllBytes(abandoned, new byte[1 << 20]);
        var kept = Path.Combine(folder, "weights.bin");
        File.WriteAllBytes(kept, new byte[10]);
        using var live = ArtifactFolder.ForRun(store.ArtifactRoot, "fedcba9876543210fedcba9876543210").Create("big.bin");
        live.Stream.Write(new byte[100_000]);
        live.Stream.Flush();

        await using (var server = await TrackingServer.StartAsync(store, new TrackingServerOptions { MltrackDirectory = mltrack, Log = TextWriter.Null }))
        {
            await server.AbandonedUploadsRemoved.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.False(File.Exists(abandoned));
            Assert.True(File.Exists(kept));
            live.Commit();
        }

        Assert.Equal(100_000, new FileInfo(Path.Combine(store.ArtifactRoot, "fedcba9876543210fedcba9876543210", "big.bin")).Length);
    }
}
