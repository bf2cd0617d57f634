using MLTrack.Core.Artifacts.S3;

namespace MLTrack.Core.Tests.S3;

[Collection(S3rverCollection.Name)]
public sealed class S3IntegrityTests(S3rverFixture s3) : IDisposable
{
    private readonly S3TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>Replaces the object's bytes with a plain PUT that keeps the original sha256 header, as tampering would.</summary>
    private async Task TamperAsync(string bucket, string key, string recordedSha256, byte[] newBytes)
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, s3.ObjectUrl(bucket, key)) { Content = new ByteArrayContent(newBytes) };
        put.Headers.Add("x-amz-meta-sha256", recordedSha256);
        using var response = await s3.Http.SendAsync(put);
        response.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task A_download_of_bytes_changed_behind_the_storage_fails_with_a_sha256_mismatch()
    {
        using var storage = await s3.NewStorageAsync();
        var stored = await storage.UploadFileAsync(_files.Write("original model"u8.ToArray()), "m.bin");
        await TamperAsync(storage.Bucket, "m.bin", stored.Sha256, "tampered model"u8.ToArray());

        var error = await Assert.ThrowsAsync<ModelIntegrityException>(() => storage.DownloadToFileAsync("m.bin", _files.NewPath()));

        Assert.Equal("Sha256Mismatch", error.ErrorCode);
        Assert.Equal(stored.Sha256, error.ExpectedSha256);
        Assert.Equal(S3TestFiles.Sha256("tampered model"u8.ToArray()), error.ActualSha256);
        Assert.Contains(storage.Bucket, error.Message);
        Assert.Contains(s3.ServiceUrl, error.Message);
    }

    [Fact]
    public async Task A_download_that_fails_verification_leaves_no_file_behind()
    {
        using var storage = await s3.NewStorageAsync();
        var stored = await storage.UploadFileAsync(_files.Write("original model"u8.ToArray()), "m.bin");
        await TamperAsync(storage.Bucket, "m.bin", stored.Sha256, "tampered model"u8.ToArray());
        var target = _files.NewPath();

        await Assert.ThrowsAsync<ModelIntegrityException>(() => storage.DownloadToFileAsync("m.bin", target));

        Assert.Equal([], Directory.GetFiles(Path.GetDirectoryName(target)!).Where(f => f.Contains(Path.GetFileName(target))));
    }

    [Fact]
    public async Task A_download_checks_the_sha256_the_caller_expects()
    {
        using var storage = await s3.NewStorageAsync();
        await storage.UploadFileAsync(_files.Write("model v2"u8.ToArray()), "m.bin");
        var expected = S3TestFiles.Sha256("model v1"u8.ToArray());

        var error = await Assert.ThrowsAsync<ModelIntegrityException>(() => storage.DownloadToFileAsync("m.bin", _files.NewPath(), expectedSha256: expected));

        Assert.Equal(expected, error.ExpectedSha256);
    }

    [Fact]
    public async Task An_object_without_a_recorded_sha256_is_refused_unless_the_caller_gives_one()
    {
        using var storage = await s3.NewStorageAsync();
        var bytes = "uploaded by another tool"u8.ToArray();
        using (var put = await s3.Http.PutAsync(s3.ObjectUrl(storage.Bucket, "foreign.bin"), new ByteArrayContent(bytes)))
            put.EnsureSuccessStatusCode();

        var error = await Assert.ThrowsAsync<ModelIntegrityException>(() => storage.DownloadToFileAsync("foreign.bin", _files.NewPath()));
        var verified = await storage.DownloadToFileAsync("foreign.bin", _files.NewPath(), expectedSha256: S3TestFiles.Sha256(bytes));

        Assert.Equal("Sha256Missing", error.ErrorCode);
        Assert.Equal(S3TestFiles.Sha256(bytes), verified.Sha256);
    }
}
