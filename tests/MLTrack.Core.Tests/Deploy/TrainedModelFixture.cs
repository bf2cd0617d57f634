using System.Text.Json.Nodes;
using MLTrack.Core.Deploy;
using MLTrack.Core.Tests.Launch;

namespace MLTrack.Core.Tests.Deploy;

/// <summary>
/// A real model trained by a Python script with Debian's /usr/bin/python3 and logged as a run artifact the way the
/// client's <c>log_model</c> does (its own <c>save_model</c> writes the files, copied under <c>model/</c> with the same
/// tags), plus held-out rows to ask the served model about. Subclasses give the two scripts.
/// </summary>
public abstract class TrainedModelFixture : IAsyncLifetime
{
    public TempStore Temp { get; } = new();
    public string RunId { get; private set; } = "";
    /// <summary>What the framework says its version is, printed by the training script.</summary>
    public string FrameworkVersion { get; private set; } = "";
    public JsonArray TestRows { get; private set; } = [];
    public ModelInfo Model { get; private set; } = null!;
    public string ModelFolder => Path.Combine(Temp.Folder, "trained");

    /// <summary>Trains; saves with <c>save_model(model, sys.argv[1], input_example=...)</c>; writes
    /// <c>sys.argv[1]/../test_rows.json</c>; prints the framework's version.</summary>
    protected abstract string TrainingScript { get; }

    /// <summary>Loads <c>sys.argv[1]</c> (the model file), predicts the JSON rows in <c>sys.argv[2]</c>, prints JSON.</summary>
    protected abstract string PredictScript { get; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ModelFolder);
        var script = Path.Combine(Temp.Folder, "train.py");
        File.WriteAllText(script, TrainingScript);
        var result = await TestPython.RunAsync(script, [ModelFolder], new Dictionary<string, string> { ["PYTHONPATH"] = TestPython.ClientPath });
        Assert.True(result.ExitCode == 0, "training failed: " + result.Stderr);
        FrameworkVersion = result.Stdout.Trim();
        TestRows = (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(Temp.Folder, "test_rows.json")))!;

        RunId = SklearnModelFixture.LogModel(Temp, ModelFolder, "model");
        Model = await new ModelInspector(Temp.Store, new PythonRunner(TestPython.Executable)).InspectAsync(RunId);
    }

    /// <summary>What the model says for <paramref name="rows"/> when loaded in a plain python3 process (not the server).</summary>
    public async Task<JsonArray> PredictInProcessAsync(JsonArray rows)
    {
        var script = Path.Combine(Temp.Folder, "predict_direct.py");
        File.WriteAllText(script, PredictScript);
        var rowsFile = Path.Combine(Temp.Folder, "rows.json");
        File.WriteAllText(rowsFile, rows.ToJsonString());
        var result = await TestPython.RunAsync(script, [Model.LocalPath, rowsFile]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return (JsonArray)JsonNode.Parse(result.Stdout)!;
    }

    public Task DisposeAsync()
    {
        Temp.Dispose();
        return Task.CompletedTask;
    }
}
