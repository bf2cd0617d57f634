using MLTrack.Core.Artifacts;
using System.Security.Cryptography;
using System.Text;
using MLTrack.Core.Tests.Launch;
using MLTrack.Core.Runs;

namespace MLTrack.Core.Tests.Artifacts;

public sealed class RunArtifactsTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Written_text_lands_under_the_run_folder_and_is_recorded_with_size_and_hash()
    {
        var run = _temp.Store.CreateRun(new NewRun());
        var artifacts = new RunArtifacts(_temp.Store, run.RunId);

        var info = artifacts.WriteText("code.diff", "diff --git a b\n");

        var file = Path.Combine(_temp.Store.ArtifactRoot, run.RunId, "code.diff");
        Assert.Equal("diff --git a b\n", File.ReadAllText(file));
        Assert.Equal(15, info.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("diff --git a b\n"))), info.Sha256);
        Assert.Equal([info], _temp.Store.ListArtifacts(run.RunId));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("")]
    public void Paths_leaving_the_run_folder_are_refused(string path)
    {
        var artifacts = new RunArtifacts(_temp.Store, "r1");
        Assert.Throws<ArtifactPathException>(() => artifacts.GetLocalPath(path));
    }

    private string Outside()
    {
        var outside = Path.Combine(_temp.Folder, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "secret");
        return outside;
    }

    [Fact]
    public void Recording_a_file_reached_through_a_link_is_refused_and_records_nothing()
    {
        var run = _temp.Store.CreateRun(new NewRun());
        var artifacts = new RunArtifacts(_temp.Store, run.RunId);
        Directory.CreateDirectory(artifacts.Folder.FullPath);
        Directory.CreateSymbolicLink(Path.Combine(artifacts.Folder.FullPath, "link_out"), Outside());

        var e = Assert.Throws<ArtifactPathException>(() => artifacts.Record("link_out/secret.txt"));

        Assert.Contains("symbolic link", e.Message);
        Assert.Empty(_temp.Store.ListArtifacts(run.RunId));
    }

    [Fact]
    public void Reading_through_a_link_is_refused()
    {
        var run = _temp.Store.CreateRun(new NewRun());
        var artifacts = new RunArtifacts(_temp.Store, run.RunId);
        Directory.CreateDirectory(artifacts.Folder.FullPath);
        File.CreateSymbolicLink(Path.Combine(artifacts.Folder.FullPath, "passwd"), "/etc/passwd");

        Assert.Throws<ArtifactPathException>(() => artifacts.Read("passwd", 0, 1000));
    }

    [Fact]
    public void Writing_text_through_a_link_is_refused_and_the_outside_file_keeps_its_content()
    {
        var run = _temp.Store.CreateRun(new NewRun());
        var artifacts = new RunArtifacts(_temp.Store, run.RunId);
        var outside = Outside();
        Directory.CreateDirectory(artifacts.Folder.FullPath);
        Directory.CreateSymbolicLink(Path.Combine(artifacts.Folder.FullPath, "link_out"), outside);

        Assert.Throws<ArtifactPathException>(() => artifacts.WriteText("link_out/secret.txt", "overwritten"));

        Assert.Equal("secret", File.ReadAllText(Path.Combine(outside, "secret.txt")));
        Assert.Single(Directory.GetFiles(outside));
    }
}
