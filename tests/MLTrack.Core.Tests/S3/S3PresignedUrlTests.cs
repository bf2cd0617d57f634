using System.Net;
using MLTrack.Core.Artifacts.S3;

namespace MLTrack.Core.Tests.S3;

[Collection(S3rverCollection.Name)]
public sealed class S3PresignedUrlTests(S3rverFixture s3) : IDisposable
{
    private readonly S3TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task A_presigned_GET_url_fetched_without_credentials_returns_the_bytes()
    {
        using var storage = await s3.NewStorageAsync(prefix: "models");
        var bytes = S3TestFiles.RandomBytes(70_000);
        await storage.UploadFileAsync(_files.Write(bytes), "run-1/model.pkl");

        var url = storage.GetPresignedGetUrl("run-1/model.pkl", TimeSpan.FromMinutes(5));

        using var plain = new HttpClient();
        Assert.Equal(bytes, await plain.GetByteArrayAsync(url));
    }

    [Fact]
    public async Task A_presigned_url_for_an_http_endpoint_is_http()
    {
        using var storage = await s3.NewStorageAsync();

        var url = storage.GetPresignedGetUrl("m.bin", TimeSpan.FromMinutes(5));

        Assert.Equal("http", url.Scheme);
        Assert.StartsWith(s3.ServiceUrl + "/" + storage.Bucket + "/m.bin?", url.ToString());
    }

    [Fact]
    public async Task A_presigned_url_stops_working_after_it_expires()
    {
        using var storage = await s3.NewStorageAsync();
        await storage.UploadFileAsync(_files.Write("secret model"u8.ToArray()), "m.bin");
        var url = storage.GetPresignedGetUrl("m.bin", TimeSpan.FromSeconds(1));

        await Task.Delay(TimeSpan.FromSeconds(2.5));

        using var plain = new HttpClient();
        using var response = await plain.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Request has expired", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(8 * 24 * 3600)]
    public async Task An_expiry_outside_zero_to_seven_days_is_refused(int seconds)
    {
        using var storage = await s3.NewStorageAsync();
        Assert.Throws<ArgumentOutOfRangeException>(() => storage.GetPresignedGetUrl("m.bin", TimeSpan.FromSeconds(seconds)));
    }
}
