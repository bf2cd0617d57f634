using MLTrack.Core.Artifacts;
using MLTrack.Core.Deploy;
using MLTrack.Core.Runs;
using MLTrack.Core.Tests.Launch;

namespace MLTrack.Core.Tests.Deploy;

/// <summary>A model reached through a symbolic link in the run's artifact folder is refused before anything reads or copies it.</summary>
public sealed class ModelArtifactLinkTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    private ModelInspector Inspector => new(_temp.Store, new PythonRunner("python3-that-must-not-run"));

    private (string RunId, ArtifactFolder Folder, string Outside) NewRun()
    {
        var run = _temp.Store.CreateRun(new NewRun());
        var folder = new RunArtifacts(_temp.Store, run.RunId).Folder;
        Directory.CreateDirectory(folder.FullPath);
        var outside = Path.Combine(_temp.Folder, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "model.joblib"), "someone else's file");
        return (run.RunId, folder, outside);
    }

    [Fact]
    public async Task A_model_file_that_is_a_link_out_of_the_run_folder_is_refused()
    {
        var (runId, folder, outside) = NewRun();
        Directory.CreateDirectory(Path.Combine(folder.FullPath, "model"));
        File.CreateSymbolicLink(Path.Combine(folder.FullPath, "model", "model.joblib"), Path.Combine(outside, "model.joblib"));
        _temp.Store.RecordArtifact(runId, new ArtifactInfo("model/model.joblib", 19, new string('0', 64)));

        var e = await Assert.ThrowsAsync<DeploymentException>(() => Inspector.InspectAsync(runId));

        Assert.Contains("'model/model.joblib'", e.Message);
        Assert.Contains("leaves the run's artifact folder through a symbolic link", e.Message);
    }

    [Fact]
    public async Task A_model_folder_holding_a_link_is_refused()
    {
        var (runId, folder, outside) = NewRun();
        Directory.CreateDirectory(Path.Combine(folder.FullPath, "model"));
        File.WriteAllText(Path.Combine(folder.FullPath, "model", "saved_model.pb"), "pb");
        Directory.CreateSymbolicLink(Path.Combine(folder.FullPath, "model", "variables"), outside);
        _temp.Store.RecordArtifact(runId, new ArtifactInfo("model/saved_model.pb", 2, new string('0', 64)));

        var e = await Assert.ThrowsAsync<DeploymentException>(() => Inspector.InspectAsync(runId));

        Assert.Contains("model/variables", e.Message);
        Assert.Contains("symbolic link", e.Message);
    }
}
