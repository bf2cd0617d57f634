using MLTrack.Core.Artifacts;
using MLTrack.Core.Artifacts.S3;
using MLTrack.Core.Deploy;
using MLTrack.Core.Runs;
using MLTrack.Core.Tests.S3;

namespace MLTrack.Core.Tests.Deploy;

/// <summary>A model whose artifacts are only in S3 is materialized into the local cache, then detected, loaded and probed from there.</summary>
[Collection(SklearnModelCollection.Name)]
public sealed class S3ModelInspectorTests(SklearnModelFixture fixture) : IAsyncLifetime
{
    private readonly S3rverFixture _s3 = new();
    private readonly string _cache = Directory.CreateTempSubdirectory("mltrack-s3-model-cache-").FullName;
    private S3ArtifactStore _artifacts = null!;

    public async Task InitializeAsync()
    {
        await _s3.InitializeAsync();
        _artifacts = new S3ArtifactStore(await _s3.NewStorageAsync("models"), _cache);
    }

    public async Task DisposeAsync()
    {
        _artifacts.Dispose();
        await _s3.DisposeAsync();
        try { Directory.Delete(_cache, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_model_stored_in_S3_is_inspected_and_run_from_its_local_copy_in_the_cache()
    {
        var store = fixture.Temp.Store;
        var run = store.CreateRun(new NewRun { Name = "train", ArtifactLocation = _artifacts.Location });
        var writer = new RunArtifacts(store, _artifacts, run.RunId);
        foreach (var file in Directory.GetFiles(fixture.ModelFolder).Order()) writer.CopyFrom(file, "model/" + Path.GetFileName(file));
        foreach (var file in Directory.GetFiles(_cache, "*", SearchOption.AllDirectories)) File.Delete(file); // as on a replica that never saw them

        var model = await new ModelInspector(store, new PythonRunner(TestPython.Executable), _artifacts).InspectAsync(run.RunId);

        Assert.Equal(ModelFramework.Sklearn, model.Framework);
        Assert.Equal("model.joblib", Path.GetFileName(model.LocalPath));
        Assert.StartsWith(_cache, model.LocalPath);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(fixture.ModelFolder, "model.joblib")), await File.ReadAllBytesAsync(model.LocalPath));
        Assert.Equal([4], model.InputSchema.Shape);
        Assert.Equal(5, model.OutputExample!.Count); // predicted by loading the local copy
    }
}
