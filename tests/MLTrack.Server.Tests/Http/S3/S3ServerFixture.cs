using MLTrack.Core.Artifacts;
using MLTrack.Core.Artifacts.S3;
using MLTrack.Core.Tests.S3;

namespace MLTrack.Server.Tests.Http.S3;

/// <summary>
/// A <see cref="ServerFixture"/> whose artifacts are in S3 — a real s3rver of its own, a fresh bucket, prefix
/// <see cref="Prefix"/> — with the store's local artifact folder only as the cache, as <c>mltrack server --artifacts s3://…</c> runs.
/// </summary>
public sealed class S3ServerFixture : ServerFixture
{
    public const string Prefix = "team/artifacts";

    public S3rverFixture S3 { get; } = new();

    public string Bucket { get; private set; } = "";

    protected override async Task<IArtifactStore?> OpenArtifactsAsync()
    {
        await S3.InitializeAsync();
        var storage = await S3.NewStorageAsync(Prefix);
        Bucket = storage.Bucket;
        return new S3ArtifactStore(storage, Store.ArtifactRoot);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await S3.DisposeAsync();
    }

    public override async Task<byte[]?> StoredBytesAsync(string runId, string path)
    {
        using var response = await S3.Http.GetAsync(S3.ObjectUrl(Bucket, $"{Prefix}/{runId}/{path}"));
        return response.IsSuccessStatusCode ? await response.Content.ReadAsByteArrayAsync() : null;
    }

    public override async Task<IReadOnlyList<string>> EverythingStoredAsync()
    {
        using var bucket = new S3ModelStorage(S3.Options(Bucket));
        var objects = await bucket.ListAllAsync(Prefix + "/");
        return [.. await base.EverythingStoredAsync(), .. objects.Select(o => $"s3://{Bucket}/{Prefix}/{o.Name}")];
    }

    public override string UploadTempFolder(string runId) => Path.Combine(Store.ArtifactRoot, "objects");
}
