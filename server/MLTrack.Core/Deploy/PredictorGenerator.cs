using System.Text.Json;
using System.Text.Json.Nodes;
using MLTrack.Core.Artifacts;

namespace MLTrack.Core.Deploy;

/// <summary>
/// Writes the predictor of a model: a small readable <c>predictor.py</c> (<c>load()</c>, <c>predict(instances)</c> with
/// schema validation, the framework's loading code only) and <c>openapi.json</c>; optionally copies the model next to
/// it (<c>model/&lt;file&gt;</c>, where <c>predictor.load()</c> looks by default).
/// </summary>
public static class PredictorGenerator
{
    public const string PredictorFileName = "predictor.py";
    public const string OpenApiFileName = "openapi.json";
    public const string ModelFolderName = "model";

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary>The text of predictor.py for <paramref name="model"/>.</summary>
    public static string RenderPredictor(ModelInfo model) =>
        RenderPredictor(model.RunId, model.Framework, model.Format, model.FrameworkVersion, model.ModelFileName, model.InputSchema);

    /// <summary>predictor.py from the parts known before the model was probed (<paramref name="input"/> null: unknown).</summary>
    internal static string RenderPredictor(string runId, ModelFramework framework, ModelFormat format, string version, string modelFile, TensorSpec? input)
    {
        var frameworkName = framework.ToString().ToLowerInvariant();
        var section = DeployTemplates.Read(DeployTemplates.FrameworkSection(framework)).TrimEnd() + "\n";
        return DeployTemplates.Render(DeployTemplates.Predictor, new Dictionary<string, string>
        {
            ["RUN_ID"] = OneLine(runId),
            ["RUN_ID_LITERAL"] = PythonLiteral.String(runId),
            ["FRAMEWORK"] = frameworkName,
            ["FRAMEWORK_LITERAL"] = PythonLiteral.String(frameworkName),
            ["FRAMEWORK_VERSION"] = OneLine(version),
            ["FRAMEWORK_VERSION_LITERAL"] = PythonLiteral.String(version),
            ["MODEL_FORMAT"] = ModelFormats.Name(format),
            ["MODEL_FORMAT_LITERAL"] = PythonLiteral.String(ModelFormats.Name(format)),
            ["MODEL_FILE"] = OneLine(modelFile),
            ["MODEL_FILE_LITERAL"] = PythonLiteral.String(modelFile),
            ["INPUT_SCHEMA"] = input is null ? "None" : PythonLiteral.FromJson(input.ToJson()),
            ["FRAMEWORK_SECTION"] = section,
        });
    }

    /// <summary>The OpenAPI document as indented JSON.</summary>
    public static string RenderOpenApi(ModelInfo model, string title, string version, string? serverUrl = null) =>
        OpenApiSpec.Build(model, title, version, serverUrl).ToJsonString(s_indented);

    /// <summary>Writes predictor.py and openapi.json into <paramref name="directory"/> (created), and the model under
    /// <c>model/</c> when <paramref name="copyModel"/>.</summary>
    public static PredictorPackage Generate(ModelInfo model, string directory, string title, string version, string? serverUrl = null, bool copyModel = true)
    {
        var folder = WorkFolder(directory);
        folder.WriteAllText(PredictorFileName, RenderPredictor(model));
        folder.WriteAllText(OpenApiFileName, RenderOpenApi(model, title, version, serverUrl));
        string? modelPath = null;
        if (copyModel)
        {
            var target = ModelFolderName + "/" + model.ModelFileName;
            if (Directory.Exists(model.LocalPath)) CopyDirectory(ArtifactFolder.At(model.LocalPath, "the model folder"), folder, target);
            else folder.CopyIn(model.LocalPath, target);
            modelPath = Path.Combine(directory, ModelFolderName, model.ModelFileName);
        }
        return new PredictorPackage(directory, Path.Combine(directory, PredictorFileName), Path.Combine(directory, OpenApiFileName), modelPath);
    }

    /// <summary>A deployment's work folder: what is written there never goes through a symbolic link.</summary>
    internal static ArtifactFolder WorkFolder(string directory) => ArtifactFolder.At(directory, "the deployment's folder");

    /// <summary>Keeps a value that goes into a docstring or comment on one line, without closing the docstring.</summary>
    internal static string OneLine(string text) =>
        text.Replace("\\", "/").Replace("\"\"\"", "'''").Replace('\r', ' ').Replace('\n', ' ');

    /// <summary>Copies the regular files of a model folder (symbolic links are not followed) into <paramref name="target"/>.</summary>
    private static void CopyDirectory(ArtifactFolder from, ArtifactFolder to, string target)
    {
        foreach (var file in from.Files(""))
        {
            using var source = from.OpenRead(file);
            to.Write(target + "/" + file, source);
        }
    }
}
