using System.Diagnostics;
using System.Text.Json.Nodes;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Deploy;
using MLTrack.Core.Runs;
using MLTrack.Core.Tests.Launch;

namespace MLTrack.Core.Tests.Deploy;

/// <summary>
/// Trains a real scikit-learn model (iris, LogisticRegression) with Debian's /usr/bin/python3 and logs it as a run
/// artifact the way the client's <c>log_model</c> does: the client's own <c>save_model</c> writes model.joblib,
/// mltrack_model.json and input_example.json, which are copied under <c>model/</c> with the same tags. Also keeps 20
/// held-out rows to ask the served model about.
/// </summary>
public sealed class SklearnModelFixture : TrainedModelFixture
{
    public string SklearnVersion => FrameworkVersion;

    protected override string TrainingScript => """
            import json, sys
            import numpy as np, sklearn
            from sklearn.datasets import load_iris
            from sklearn.linear_model import LogisticRegression
            from mltrack._models import save_model
            out = sys.argv[1]
            X, y = load_iris(return_X_y=True)
            rng = np.random.RandomState(0)
            order = rng.permutation(len(X))
            train, test = order[:130], order[130:]
            model = LogisticRegression(max_iter=1000).fit(X[train], y[train])
            save_model(model, out, input_example=X[train])
            with open(out + "/../test_rows.json", "w") as f:
                json.dump(X[test].tolist(), f)
            print(sklearn.__version__)
            """.Replace("\n            ", "\n");

    protected override string PredictScript => """
            import json, sys, joblib, numpy as np
            model = joblib.load(sys.argv[1])
            rows = json.load(open(sys.argv[2]))
            print(json.dumps(model.predict(np.asarray(rows, dtype=float)).tolist()))
            """.Replace("\n            ", "\n");

    /// <summary>A new run with the files of <paramref name="folder"/> under <c>name/</c> and log_model's tags.</summary>
    public static string LogModel(TempStore temp, string folder, string name, bool withTags = true, Func<string, bool>? include = null)
    {
        var run = temp.Store.CreateRun(new NewRun { Name = "train" });
        var artifacts = new RunArtifacts(temp.Store, run.RunId);
        foreach (var file in Directory.GetFiles(folder).Order())
        {
            if (include is null || include(Path.GetFileName(file))) artifacts.CopyFrom(file, $"{name}/{Path.GetFileName(file)}");
        }
        if (withTags)
        {
            var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "mltrack_model.json")))!;
            temp.Store.SetTag(run.RunId, "mltrack.model.framework", meta["framework"]!.GetValue<string>());
            temp.Store.SetTag(run.RunId, "mltrack.model.framework_version", meta["framework_version"]!.GetValue<string>());
            temp.Store.SetTag(run.RunId, "mltrack.model.path", $"{name}/{meta["file"]!.GetValue<string>()}");
            temp.Store.SetTag(run.RunId, "mltrack.model.format", meta["format"]!.GetValue<string>());
            temp.Store.SetTag(run.RunId, "mltrack.model.class", meta["class"]!.GetValue<string>());
        }
        return run.RunId;
    }
}

[CollectionDefinition(Name)]
public sealed class SklearnModelCollection : ICollectionFixture<SklearnModelFixture>
{
    public const string Name = "sklearn model";
}
