using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;

namespace MLTrack.Server.Tests.Deploy;

/// <summary>
/// Trains a real scikit-learn model once (iris, LogisticRegression, Debian's /usr/bin/python3) and saves it with the
/// client's own <c>save_model</c>; <see cref="LogModel"/> logs those files as a run's <c>model/</c> artifacts with
/// log_model's tags, as tests/MLTrack.Core.Tests/Deploy does.
/// </summary>
public sealed class DeployModelFixture : IAsyncLifetime
{
    public static string Python => Environment.GetEnvironmentVariable("MLTRACK_TEST_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";
    public static string RepoRoot { get; } = FindRoot();
    public string Dir { get; } = Directory.CreateTempSubdirectory("mltrack-deploy-model-").FullName;
    public string ModelFolder => Path.Combine(Dir, "trained");
    public JsonArray TestRows { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ModelFolder);
        var script = Path.Combine(Dir, "train.py");
        File.WriteAllText(script, """
            import json, sys
            import numpy as np
            from sklearn.datasets import load_iris
            from sklearn.linear_model import LogisticRegression
            from mltrack._models import save_model
            out = sys.argv[1]
            X, y = load_iris(return_X_y=True)
            order = np.random.RandomState(0).permutation(len(X))
            model = LogisticRegression(max_iter=1000).fit(X[order[:130]], y[order[:130]])
            save_model(model, out, input_example=X[order[:130]])
            with open(out + "/../test_rows.json", "w") as f:
                json.dump(X[order[130:]].tolist(), f)
            """.Replace("\n            ", "\n"));
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(ModelFolder);
        psi.Environment["PYTHONPATH"] = Path.Combine(RepoRoot, "clients", "python");
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, "training failed: " + await stderr);
        TestRows = (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "test_rows.json")))!;
    }

    /// <summary>A new run in <paramref name="store"/> holding the model under <c>model/</c> with log_model's tags.</summary>
    public string LogModel(ITrackingStore store)
    {
        var run = store.CreateRun(new NewRun { Name = "train" });
        var artifacts = new RunArtifacts(store, run.RunId);
        foreach (var file in Directory.GetFiles(ModelFolder).Order()) artifacts.CopyFrom(file, $"model/{Path.GetFileName(file)}");
        var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(ModelFolder, "mltrack_model.json")))!;
        store.SetTag(run.RunId, "mltrack.model.framework", meta["framework"]!.GetValue<string>());
        store.SetTag(run.RunId, "mltrack.model.framework_version", meta["framework_version"]!.GetValue<string>());
        store.SetTag(run.RunId, "mltrack.model.path", $"model/{meta["file"]!.GetValue<string>()}");
        store.SetTag(run.RunId, "mltrack.model.format", meta["format"]!.GetValue<string>());
        return run.RunId;
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "MLTrack.Ide.sln"))) return dir.FullName;
        throw new InvalidOperationException("Cannot find the repository root.");
    }
}
