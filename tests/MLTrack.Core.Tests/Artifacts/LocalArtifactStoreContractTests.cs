using MLTrack.Core.Artifacts;
using MLTrack.Core.Artifacts.Local;

namespace MLTrack.Core.Tests.Artifacts;

/// <summary>The artifact store contract on a local folder.</summary>
public sealed class LocalArtifactStoreContractTests : ArtifactStoreContract
{
    protected override Task<IArtifactStore> OpenAsync() => Task.FromResult<IArtifactStore>(new LocalArtifactStore(Path.Combine(Folder, "artifacts")));

    [Fact]
    public async Task Files_live_in_the_run_folder_under_the_root()
    {
        var run = NewRunId();

        await WriteAsync(run, "a/b.txt", "hi"u8.ToArray());

        Assert.Equal("hi", await File.ReadAllTextAsync(Path.Combine(Folder, "artifacts", run, "a", "b.txt")));
        Assert.Equal(new Uri(Path.Combine(Folder, "artifacts")).AbsoluteUri, Store.Location);
    }

    [Fact]
    public async Task A_link_in_the_run_folder_is_never_read_listed_or_materialized()
    {
        var run = NewRunId();
        var outside = Path.Combine(Folder, "outside");
        Directory.CreateDirectory(outside);
        await File.WriteAllTextAsync(Path.Combine(outside, "secret.txt"), "secret");
        await WriteAsync(run, "ok.txt", [1]);
        Directory.CreateSymbolicLink(Path.Combine(Folder, "artifacts", run, "link_out"), outside);

        await Assert.ThrowsAsync<ArtifactPathException>(() => Store.OpenReadAsync(run, "link_out/secret.txt"));
        await Assert.ThrowsAsync<ArtifactPathException>(() => Store.MaterializeAsync(run, "link_out"));
        await Assert.ThrowsAsync<ArtifactPathException>(() => WriteAsync(run, "link_out/new.txt", [1]));
        Assert.Equal([new ArtifactEntry("ok.txt", false, 1)], await Store.ListAsync(run, ""));
        Assert.Equal(["secret.txt"], Directory.GetFiles(outside).Select(Path.GetFileName));
    }
}
