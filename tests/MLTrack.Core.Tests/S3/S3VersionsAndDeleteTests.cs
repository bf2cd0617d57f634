using MLTrack.Core.Artifacts.S3;

namespace MLTrack.Core.Tests.S3;

/// <summary>s3rver 3.7.1 keeps no versions (GET ?versions answers MethodNotAllowed, ?versionId is ignored).</summary>
[Collection(S3rverCollection.Name)]
public sealed class S3VersionsAndDeleteTests(S3rverFixture s3) : IDisposable
{
    private readonly S3TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Listing_versions_on_a_server_without_them_says_so_and_lists_the_current_object()
    {
        using var storage = await s3.NewStorageAsync();
        await storage.UploadFileAsync(_files.Write("v1"u8.ToArray()), "m.bin");
        await storage.UploadFileAsync(_files.Write("v2 longer"u8.ToArray()), "m.bin");

        var listing = await storage.ListVersionsAsync("m.bin");

        Assert.False(listing.VersionsSupported);
        Assert.Contains("MethodNotAllowed", listing.UnsupportedReason);
        var only = Assert.Single(listing.Versions);
        Assert.Equal(("m.bin", (string?)null, true, 9L), (only.Key, only.VersionId, only.IsLatest, only.Size));
    }

    [Fact]
    public async Task Listing_versions_of_a_missing_key_is_empty()
    {
        using var storage = await s3.NewStorageAsync();

        var listing = await storage.ListVersionsAsync("nothing.bin");

        Assert.Empty(listing.Versions);
    }

    [Fact]
    public async Task Uploads_to_a_bucket_without_versions_return_no_version_id_and_the_last_one_wins()
    {
        using var storage = await s3.NewStorageAsync();
        var first = await storage.UploadFileAsync(_files.Write("v1"u8.ToArray()), "m.bin");
        await storage.UploadFileAsync(_files.Write("v2"u8.ToArray()), "m.bin");

        var target = _files.NewPath();
        await storage.DownloadToFileAsync("m.bin", target);

        Assert.Null(first.VersionId);
        Assert.Equal("v2"u8.ToArray(), await File.ReadAllBytesAsync(target));
    }

    [Fact]
    public async Task Downloading_a_version_from_a_server_that_ignores_version_ids_is_refused()
    {
        using var storage = await s3.NewStorageAsync();
        await storage.UploadFileAsync(_files.Write("current"u8.ToArray()), "m.bin");

        var error = await Assert.ThrowsAsync<ModelStorageException>(() => storage.DownloadToFileAsync("m.bin", _files.NewPath(), versionId: "3HL4kqtJlcpXroDTDmJ"));

        Assert.Equal("VersionIdIgnored", error.ErrorCode);
    }

    [Fact]
    public async Task Deleting_a_version_on_a_server_that_ignores_version_ids_is_refused_and_deletes_nothing()
    {
        using var storage = await s3.NewStorageAsync();
        await storage.UploadFileAsync(_files.Write("keep me"u8.ToArray()), "m.bin");

        var error = await Assert.ThrowsAsync<ModelStorageException>(() => storage.DeleteAsync("m.bin", versionId: "3HL4kqtJlcpXroDTDmJ"));

        Assert.Equal("VersionIdIgnored", error.ErrorCode);
        Assert.Equal("keep me"u8.ToArray(), await s3.Http.GetByteArrayAsync(s3.ObjectUrl(storage.Bucket, "m.bin")));
    }

    [Fact]
    public async Task A_deleted_key_is_gone()
    {
        using var storage = await s3.NewStorageAsync();
        await storage.UploadFileAsync(_files.Write("bye"u8.ToArray()), "m.bin");

        await storage.DeleteAsync("m.bin");

        var error = await Assert.ThrowsAsync<ModelStorageException>(() => storage.DownloadToFileAsync("m.bin", _files.NewPath()));
        Assert.Equal("NoSuchKey", error.ErrorCode);
        Assert.Empty((await storage.ListVersionsAsync("m.bin")).Versions);
    }

    [Fact]
    public async Task Deleting_a_missing_key_is_harmless()
    {
        using var storage = await s3.NewStorageAsync();

        await storage.DeleteAsync("never-uploaded.bin");
    }
}
