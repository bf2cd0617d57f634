using MLTrack.Core.Artifacts.S3;

namespace MLTrack.Core.Tests.S3;

/// <summary>s3rver 3.7.1 implements neither bucket versioning nor lifecycle: the result must say so, not pretend.</summary>
[Collection(S3rverCollection.Name)]
public sealed class S3BucketSetupTests(S3rverFixture s3)
{
    [Fact]
    public async Task A_missing_bucket_is_created()
    {
        using var storage = new S3ModelStorage(s3.Options(S3rverFixture.NewBucketName()));

        var result = await storage.EnsureBucketAsync();

        Assert.True(result.Created);
        using var list = await s3.Http.GetAsync($"{s3.ServiceUrl}/{storage.Bucket}");
        Assert.True(list.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Ensuring_an_existing_bucket_again_creates_nothing()
    {
        using var storage = new S3ModelStorage(s3.Options(S3rverFixture.NewBucketName()));
        await storage.EnsureBucketAsync();

        var again = await storage.EnsureBucketAsync();

        Assert.False(again.Created);
    }

    [Fact]
    public async Task Versioning_that_the_server_does_not_keep_is_reported_not_supported_with_its_answer()
    {
        using var storage = new S3ModelStorage(s3.Options(S3rverFixture.NewBucketName()));

        var versioning = (await storage.EnsureBucketAsync()).Versioning;

        Assert.Equal(S3FeatureState.NotSupported, versioning.State);
        Assert.False(versioning.IsEnabled);
        // s3rver routes PUT ?versioning to "create bucket" and GET ?versioning to "list objects".
        Assert.Equal("BucketAlreadyExists", versioning.ErrorCode);
        Assert.Contains("Off", versioning.Detail);
    }

    [Fact]
    public async Task A_lifecycle_rule_the_server_does_not_implement_is_reported_with_NotImplemented()
    {
        using var storage = new S3ModelStorage(s3.Options(S3rverFixture.NewBucketName()) with { NoncurrentVersionExpirationDays = 9 });

        var result = await storage.EnsureBucketAsync();

        Assert.Equal(S3FeatureState.NotSupported, result.Lifecycle.State);
        Assert.Equal("NotImplemented", result.Lifecycle.ErrorCode);
        Assert.Equal(9, result.NoncurrentVersionExpirationDays);
    }

    [Fact]
    public async Task The_setup_result_names_endpoint_and_bucket()
    {
        using var storage = new S3ModelStorage(s3.Options(S3rverFixture.NewBucketName()));

        var result = await storage.EnsureBucketAsync();

        Assert.Equal(s3.ServiceUrl, result.Endpoint);
        Assert.Equal(storage.Bucket, result.Bucket);
    }
}
