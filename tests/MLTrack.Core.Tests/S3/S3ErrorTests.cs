using System.Net;
using System.Net.Sockets;
using MLTrack.Core.Artifacts.S3;

namespace MLTrack.Core.Tests.S3;

[Collection(S3rverCollection.Name)]
public sealed class S3ErrorTests(S3rverFixture s3) : IDisposable
{
    private readonly S3TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task An_unreachable_endpoint_fails_naming_endpoint_bucket_and_EndpointUnreachable()
    {
        var endpoint = $"http://127.0.0.1:{ClosedPort()}";
        using var storage = new S3ModelStorage(s3.Options("models") with { ServiceUrl = endpoint, MaxErrorRetry = 0 });

        var error = await Assert.ThrowsAsync<ModelStorageException>(() => storage.EnsureBucketAsync());

        Assert.Equal("EndpointUnreachable", error.ErrorCode);
        Assert.Contains(endpoint, error.Message);
        Assert.Contains("'models'", error.Message);
        Assert.Contains("EndpointUnreachable", error.Message);
    }

    [Fact]
    public async Task Wrong_credentials_fail_with_the_servers_error_code_and_no_secret_in_the_message()
    {
        var bucket = (await s3.NewStorageAsync()).Bucket;
        using var storage = new S3ModelStorage(s3.Options(bucket) with { AccessKeyId = "WRONGKEY", SecretAccessKey = "wrong-secret-value" });

        var error = await Assert.ThrowsAsync<ModelStorageException>(() => storage.UploadFileAsync(_files.Write([1, 2, 3]), "m.bin"));

        Assert.Equal("InvalidAccessKeyId", error.ErrorCode);
        Assert.Equal(403, error.StatusCode);
        Assert.Contains(s3.ServiceUrl, error.Message);
        Assert.Contains(bucket, error.Message);
        Assert.DoesNotContain("wrong-secret-value", error.ToString());
    }

    [Fact]
    public async Task Uploading_to_a_missing_bucket_fails_with_NoSuchBucket()
    {
        var bucket = S3rverFixture.NewBucketName();
        using var storage = new S3ModelStorage(s3.Options(bucket));

        var error = await Assert.ThrowsAsync<ModelStorageException>(() => storage.UploadFileAsync(_files.Write([1, 2, 3]), "m.bin"));

        Assert.Equal("NoSuchBucket", error.ErrorCode);
        Assert.Contains($"'{bucket}/m.bin'", error.Message);
        Assert.Contains(s3.ServiceUrl, error.Message);
    }

    [Fact]
    public async Task A_multipart_upload_to_a_missing_bucket_fails_with_NoSuchBucket()
    {
        using var storage = new S3ModelStorage(s3.Options(S3rverFixture.NewBucketName()));

        var error = await Assert.ThrowsAsync<ModelStorageException>(() => storage.UploadFileAsync(_files.Write(new byte[9 * 1024 * 1024]), "m.bin"));

        Assert.Equal("NoSuchBucket", error.ErrorCode);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Bad_Bucket!")]
    public async Task An_invalid_bucket_name_fails_with_InvalidBucketName(string bucket)
    {
        using var storage = new S3ModelStorage(s3.Options(bucket));

        var error = await Assert.ThrowsAsync<ModelStorageException>(() => storage.EnsureBucketAsync());

        Assert.Equal("InvalidBucketName", error.ErrorCode);
        Assert.Contains(bucket, error.Message);
    }

    [Fact]
    public async Task Endpoint_region_and_credentials_come_from_the_AWS_environment_variables_when_options_leave_them_out()
    {
        var env = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL_S3"] = s3.ServiceUrl,
            ["AWS_REGION"] = "eu-west-3",
            ["AWS_ACCESS_KEY_ID"] = S3rverFixture.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = S3rverFixture.SecretKey,
        };
        using var storage = new S3ModelStorage(S3StorageOptions.FromUri($"s3://{S3rverFixture.NewBucketName()}/team"), name => env.GetValueOrDefault(name));

        var created = await storage.EnsureBucketAsync();
        var stored = await storage.UploadFileAsync(_files.Write("from env"u8.ToArray()), "m.bin");

        Assert.Equal((s3.ServiceUrl, "eu-west-3"), (storage.Endpoint, storage.Region));
        Assert.True(created.Created);
        Assert.Equal("from env"u8.ToArray(), await s3.Http.GetByteArrayAsync(s3.ObjectUrl(storage.Bucket, "team/m.bin")));
        Assert.Equal(8, stored.Size);
    }

    [Fact]
    public void A_named_profile_that_does_not_exist_is_reported()
    {
        var options = s3.Options("models") with { AccessKeyId = null, SecretAccessKey = null, Profile = "mltrack-no-such-profile-" + Guid.NewGuid().ToString("N") };

        var error = Assert.Throws<ModelStorageException>(() => new S3ModelStorage(options));

        Assert.Equal("ProfileNotFound", error.ErrorCode);
    }
}
