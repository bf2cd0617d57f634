using MLTrack.Core.Artifacts;
using MLTrack.Core.Artifacts.S3;
using MLTrack.Core.Tests.Artifacts;

namespace MLTrack.Core.Tests.S3;

/// <summary>The artifact store contract on S3 (a real s3rver), the local folder as its cache.</summary>
[Collection(S3rverCollection.Name)]
public sealed class S3ArtifactStoreContractTests(S3rverFixture s3) : ArtifactStoreContract
{
    protected override async Task<IArtifactStore> OpenAsync() =>
        new S3ArtifactStore(await s3.NewStorageAsync("team/artifacts"), Path.Combine(Folder, "cache"));

    [Fact]
    public async Task Objects_are_stored_byte_for_byte_under_prefix_run_and_path()
    {
        var run = NewRunId();
        var bytes = S3TestFiles.RandomBytes(5000);

        await WriteAsync(run, "logs/output.log", bytes);

        var store = (S3ArtifactStore)Store;
        var stored = await s3.Http.GetByteArrayAsync(s3.ObjectUrl(store.Storage.Bucket, $"team/artifacts/{run}/logs/output.log"));
        Assert.Equal(bytes, stored);
        Assert.Equal($"s3://{store.Storage.Bucket}/team/artifacts/{run}", Store.RunUri(run));
    }
}
