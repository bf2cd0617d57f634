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
        Assert.Throws<ArgumentException>(() => artifacts.GetLocalPath(path));
    }
}
