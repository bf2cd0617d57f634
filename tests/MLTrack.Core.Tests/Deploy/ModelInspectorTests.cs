using MLTrack.Core.Artifacts;
using MLTrack.Core.Deploy;
using MLTrack.Core.Runs;

namespace MLTrack.Core.Tests.Deploy;

[Collection(SklearnModelCollection.Name)]
public sealed class ModelInspectorTests(SklearnModelFixture fixture)
{
    private ModelInspector Inspector => new(fixture.Temp.Store, new PythonRunner(TestPython.Executable));

    [Fact]
    public void A_logged_scikit_learn_model_is_detected_with_its_version_and_schemas()
    {
        var model = fixture.Model;
        Assert.Equal(ModelFramework.Sklearn, model.Framework);
        Assert.Equal(ModelFormat.Joblib, model.Format);
        Assert.Equal(fixture.SklearnVersion, model.FrameworkVersion);
        Assert.Equal("metadata", model.DetectedBy);
        Assert.Equal("model/model.joblib", model.ArtifactPath);
        Assert.True(File.Exists(model.LocalPath));
        Assert.Equal("sklearn.linear_model._logistic.LogisticRegression", model.ModelClass);

        Assert.Equal([4], model.InputSchema.Shape);
        Assert.Equal("number", model.InputSchema.ElementType);
        Assert.Equal(5, model.InputExample.Count);

        Assert.NotNull(model.OutputSchema);
        Assert.Empty(model.OutputSchema!.Shape);
        Assert.Equal("integer", model.OutputSchema.ElementType);
        Assert.Equal(5, model.OutputExample!.Count);
    }

    [Fact]
    public async Task Without_metadata_or_tags_the_framework_and_version_come_from_the_file_and_the_schema_from_the_model()
    {
        var runId = SklearnModelFixture.LogModel(fixture.Temp, fixture.ModelFolder, "clf", withTags: false, include: f => f == "model.joblib");

        var model = await Inspector.InspectAsync(runId);

        Assert.Equal("signature", model.DetectedBy);
        Assert.Equal(ModelFramework.Sklearn, model.Framework);
        Assert.Equal(ModelFormat.Joblib, model.Format);
        Assert.Equal(fixture.SklearnVersion, model.FrameworkVersion); // read out of the pickle's _sklearn_version
        Assert.Equal([4], model.InputSchema.Shape); // n_features_in_
        Assert.Single(model.InputExample);
        Assert.Equal("integer", model.OutputSchema!.ElementType);
    }

    [Fact]
    public async Task Autologged_training_data_shape_gives_the_input_schema_when_no_example_was_logged()
    {
        var runId = SklearnModelFixture.LogModel(fixture.Temp, fixture.ModelFolder, "model", include: f => f != "input_example.json");
        fixture.Temp.Store.SetTag(runId, "mltrack.training_data.shape", "(130, 4)");
        fixture.Temp.Store.SetTag(runId, "mltrack.training_data.columns", "sepal_l, sepal_w, petal_l, petal_w");

        var model = await Inspector.InspectAsync(runId, runPrediction: false);

        Assert.Equal([4], model.InputSchema.Shape);
        Assert.Equal(["sepal_l", "sepal_w", "petal_l", "petal_w"], model.InputSchema.Columns!);
        Assert.Null(model.OutputSchema);
    }

    [Fact]
    public async Task A_run_without_a_model_is_a_clear_error()
    {
        var run = fixture.Temp.Store.CreateRun(new NewRun());
        new RunArtifacts(fixture.Temp.Store, run.RunId).WriteText("notes.txt", "no model here");

        var e = await Assert.ThrowsAsync<DeploymentException>(() => Inspector.InspectAsync(run.RunId));

        Assert.StartsWith($"run {run.RunId} has no model artifact", e.Message);
    }

    [Fact]
    public async Task An_unsupported_framework_is_named()
    {
        var runId = SklearnModelFixture.LogModel(fixture.Temp, fixture.ModelFolder, "model", include: f => f == "model.joblib");
        fixture.Temp.Store.SetTag(runId, "mltrack.model.framework", "xgboost");
        fixture.Temp.Store.SetTag(runId, "mltrack.model.path", "model/model.joblib");

        var e = await Assert.ThrowsAsync<DeploymentException>(() => Inspector.InspectAsync(runId));

        Assert.Contains("framework 'xgboost'", e.Message);
        Assert.Contains("cannot deploy", e.Message);
    }

    [Fact]
    public async Task A_model_that_fails_to_load_reports_pythons_error()
    {
        var runId = SklearnModelFixture.LogModel(fixture.Temp, fixture.ModelFolder, "model");
        File.WriteAllText(new RunArtifacts(fixture.Temp.Store, runId).GetLocalPath("model/model.joblib"), "not a pickle");

        var e = await Assert.ThrowsAsync<DeploymentException>(() => Inspector.InspectAsync(runId));

        Assert.Contains("could not be loaded and run", e.Message);
        Assert.Contains("Error", e.Message); // the exception line of the traceback
    }
}
