using Amazon.S3.Model;
using MLTrack.Core.Artifacts.S3;

namespace MLTrack.Core.Tests.S3;

[Collection(S3rverCollection.Name)]
public sealed class S3RoundTripTests(S3rverFixture s3) : IDisposable
{
    private readonly S3TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private async Task<byte[]> RoundTripAsync(byte[] bytes)
    {
        using var storage = await s3.NewStorageAsync();
        await storage.UploadFileAsync(_files.Write(bytes), "models/m.bin");
        var target = _files.NewPath();
        await storage.DownloadToFileAsync("models/m.bin", target);
        return await File.ReadAllBytesAsync(target);
    }

    [Fact]
    public async Task A_small_file_reads_back_byte_for_byte()
    {
        var bytes = "hello, model\n"u8.ToArray();
        Assert.Equal(bytes, await RoundTripAsync(bytes));
    }

    [Fact]
    public async Task An_empty_file_reads_back_empty()
    {
        Assert.Empty(await RoundTripAsync([]));
    }

    [Fact]
    public async Task A_20_MiB_random_file_reads_back_byte_for_byte()
    {
        var bytes = S3TestFiles.RandomBytes(20 * 1024 * 1024);
        Assert.Equal(bytes, await RoundTripAsync(bytes));
    }

    [Fact]
    public async Task A_file_above_the_threshold_is_stored_as_a_multipart_object_of_8_MiB_parts()
    {
        using var storage = await s3.NewStorageAsync();
        await storage.UploadFileAsync(_files.Write(S3TestFiles.RandomBytes(20 * 1024 * 1024)), "big.bin");

        // s3rver logs 'Stored part N of UPLOAD in bucket "B"' for each part it receives.
        var parts = s3.LogLines(storage.Bucket).Where(l => l.Contains("Stored part")).ToList();
        Assert.Equal(3, parts.Count); // 8 + 8 + 4 MiB
    }

    [Fact]
    public async Task A_file_at_the_threshold_is_stored_with_a_single_request()
    {
        using var storage = await s3.NewStorageAsync();
        await storage.UploadFileAsync(_files.Write(S3TestFiles.RandomBytes(8 * 1024 * 1024)), "exact.bin");

        Assert.DoesNotContain(s3.LogLines(storage.Bucket), l => l.Contains("Stored part"));
        Assert.Contains(s3.LogLines(storage.Bucket), l => l.Contains("Stored object \"exact.bin\""));
    }

    [Fact]
    public async Task An_upload_returns_key_size_and_sha256_of_the_content()
    {
        using var storage = await s3.NewStorageAsync();
        var bytes = S3TestFiles.RandomBytes(1000);

        var stored = await storage.UploadFileAsync(_files.Write(bytes), "models/m.bin");

        Assert.Equal("models/m.bin", stored.Key);
        Assert.Equal(1000, stored.Size);
        Assert.Equal(S3TestFiles.Sha256(bytes), stored.Sha256);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(9 * 1024 * 1024)]
    public async Task The_content_sha256_is_recorded_as_object_metadata(int size)
    {
        using var storage = await s3.NewStorageAsync();
        var bytes = S3TestFiles.RandomBytes(size);
        await storage.UploadFileAsync(_files.Write(bytes), "m.bin");

        using var head = new HttpRequestMessage(HttpMethod.Head, s3.ObjectUrl(storage.Bucket, "m.bin"));
        using var response = await s3.Http.SendAsync(head);
        Assert.Equal(S3TestFiles.Sha256(bytes), Assert.Single(response.Headers.GetValues("x-amz-meta-sha256")));
    }

    [Fact]
    public async Task Keys_are_stored_under_the_prefix()
    {
        using var storage = await s3.NewStorageAsync(prefix: "/team/run-1/");
        await storage.UploadFileAsync(_files.Write("x"u8.ToArray()), "model.pkl");

        var plain = await s3.Http.GetByteArrayAsync(s3.ObjectUrl(storage.Bucket, "team/run-1/model.pkl"));
        Assert.Equal("x"u8.ToArray(), plain);
        Assert.Equal("team/run-1/model.pkl", storage.ObjectKey("model.pkl"));
    }

    [Fact]
    public async Task A_download_replaces_an_existing_destination_file()
    {
        using var storage = await s3.NewStorageAsync();
        await storage.UploadFileAsync(_files.Write("new"u8.ToArray()), "m.bin");
        var target = _files.Write("old old old"u8.ToArray());

        await storage.DownloadToFileAsync("m.bin", target);

        Assert.Equal("new"u8.ToArray(), await File.ReadAllBytesAsync(target));
    }

    [Fact]
    public async Task A_client_from_the_factory_stores_exact_bytes_even_when_a_request_leaves_chunk_encoding_on()
    {
        var bucket = S3rverFixture.NewBucketName();
        var connection = S3ClientFactory.Create(s3.Options(bucket));
        using var client = connection.Client;
        await client.PutBucketAsync(bucket);
        var bytes = "twelve bytes"u8.ToArray();

        // UseChunkEncoding left at its default (true): the factory's pipeline customizer must turn it off.
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", InputStream = new MemoryStream(bytes) });

        Assert.Equal(bytes, await s3.Http.GetByteArrayAsync(s3.ObjectUrl(bucket, "k")));
    }
}
