using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLTrack.Core.Artifacts;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Deploy;

/// <summary>
/// Finds a run's model artifact and describes it for deployment: framework and version (from the client's
/// <c>mltrack_model.json</c>, else the <c>mltrack.model.*</c> tags, else the file's bytes), the input schema (the logged
/// <c>input_example.json</c>, else the input/training-data shape tags, else the model's own <c>n_features_in_</c>) and
/// the output schema from a real prediction on the example, made by running <c>probe.py</c> with <see cref="PythonRunner"/>.
/// The model is read through the artifact store; from S3 it is materialized into the local cache first.
/// </summary>
/// <param name="artifacts">Where the run's artifacts are; null: the store's local artifact folder.</param>
public sealed class ModelInspector(ITrackingStore store, PythonRunner python, IArtifactStore? artifacts = null)
{
    public const string MetadataFileName = "mltrack_model.json";
    public const string InputExampleFileName = "input_example.json";

    private static readonly string[] s_modelExtensions = [".joblib", ".pkl", ".pickle", ".pt", ".pth", ".ptl", ".torchscript", ".h5", ".keras"];

    /// <summary>Describes the model of <paramref name="runId"/> (a full id or unique prefix).</summary>
    /// <param name="runPrediction">Run the model on the example to learn the output schema (needs the framework
    /// installed for <see cref="PythonRunner.Executable"/>). Without it the output schema stays unknown; a model whose
    /// input schema cannot be told otherwise is still probed.</param>
    /// <exception cref="DeploymentException">No model artifact, an unsupported framework, or the model failed to load or predict.</exception>
    public async Task<ModelInfo> InspectAsync(string runId, bool runPrediction = true, CancellationToken cancel = default)
    {
        var run = store.GetRun(store.ResolveRunId(runId));
        runId = run.RunId;
        var recorded = store.ListArtifacts(runId).Select(a => a.Path).ToHashSet(StringComparer.Ordinal);
        var files = artifacts is null ? new RunArtifacts(store, runId) : new RunArtifacts(store, artifacts, runId);

        var (modelPath, isFolder) = await LocateModelAsync(run.Tags, recorded, files, cancel).ConfigureAwait(false)
            ?? throw new DeploymentException($"run {runId} has no model artifact (log one with mltrack.log_model(model, input_example=X))");
        string localPath;
        try
        {
            // A real file (or folder: the whole of it is copied and loaded); a symbolic link anywhere in it is refused.
            localPath = await files.MaterializeAsync(modelPath, cancel).ConfigureAwait(false);
        }
        catch (ArtifactPathException e)
        {
            throw new DeploymentException($"run {runId}: the model artifact '{modelPath}' cannot be deployed: {e.Message}");
        }
        catch (FileNotFoundException)
        {
            throw new DeploymentException($"run {runId}: the model artifact '{modelPath}' is recorded but its file is missing in {files.Artifacts.RunUri(runId)}");
        }
        if (isFolder ? !Directory.Exists(localPath) : !File.Exists(localPath))
            throw new DeploymentException($"run {runId}: the model artifact '{modelPath}' is recorded but its file is missing at {localPath}");

        var folder = modelPath.Contains('/') ? modelPath[..modelPath.LastIndexOf('/')] : "";
        var meta = await ReadJsonAsync(files, Join(folder, MetadataFileName), cancel).ConfigureAwait(false) as JsonObject;
        var detected = ModelFileSignature.Detect(localPath);

        string? declared = Str(meta, "framework") ?? Tag(run.Tags, "mltrack.model.framework");
        ModelFramework framework;
        string detectedBy;
        if (declared is not null)
        {
            framework = ModelFormats.ParseFramework(declared) ?? throw Unsupported(runId, modelPath, FrameworkTitle(declared, Str(meta, "class")));
            detectedBy = meta is not null ? "metadata" : "tags";
        }
        else
        {
            framework = detected.Framework ?? throw (detected.Unsupported is { } u
                ? Unsupported(runId, modelPath, u)
                : new DeploymentException($"run {runId}: cannot tell which framework saved the model artifact '{modelPath}'; supported: {ModelFormats.Supported}"));
            detectedBy = "signature";
        }
        var format = detected.Framework == framework && detected.Format is { } f
            ? f
            : ModelFormats.Parse(Str(meta, "format") ?? Tag(run.Tags, "mltrack.model.format")) is { } g && ModelFormats.FrameworkOf(g) == framework
                ? g
                : DefaultFormat(framework, modelPath);
        var version = Str(meta, "framework_version") ?? Tag(run.Tags, "mltrack.model.framework_version") ?? detected.Version ?? "";

        var known = InputFromExample(await ReadJsonAsync(files, Join(folder, Str(meta, "input_example") ?? InputExampleFileName), cancel).ConfigureAwait(false))
                    ?? InputFromTags(run.Tags);
        TensorSpec? input = known?.Item1;
        JsonArray? example = known?.Item2;

        TensorSpec? output = null;
        JsonArray? predictions = null;
        if (runPrediction || input is null)
        {
            var probe = await ProbeAsync(runId, framework, format, version, modelPath, localPath, input, example, cancel).ConfigureAwait(false);
            if (version.Length == 0) version = Str(probe, "installed_version") ?? "";
            if (input is null && probe["n_features_in"] is JsonValue n && probe["example"] is JsonArray synthesized)
            {
                var names = (probe["feature_names_in"] as JsonArray)?.Select(x => x!.GetValue<string>()).ToList();
                input = TensorSpec.Numeric([n.GetValue<int>()], names);
                example = synthesized;
            }
            if (probe["predictions"] is JsonArray p && p.Count > 0)
            {
                predictions = p;
                output = TensorSpec.Infer(p, null, distinguishIntegers: true);
            }
        }
        if (input is null || example is null)
            throw new DeploymentException(
                $"run {runId}: cannot infer the model's input schema: log the model with an input example (mltrack.log_model(model, input_example=X))");

        return new ModelInfo
        {
            RunId = runId,
            Framework = framework,
            FrameworkVersion = version,
            Format = format,
            ArtifactPath = modelPath,
            LocalPath = localPath,
            ModelClass = Str(meta, "class") ?? Tag(run.Tags, "mltrack.model.class"),
            PythonVersion = Str(meta, "python_version"),
            DetectedBy = detectedBy,
            InputSchema = input,
            InputExample = example,
            OutputSchema = runPrediction ? output : null,
            OutputExample = runPrediction ? predictions : null,
        };
    }

    /// <summary>The model's artifact path: the <c>mltrack.model.path</c> tag, else the file named by an
    /// <c>mltrack_model.json</c>, else a file with a model extension or a SavedModel folder (those under <c>model/</c> first).</summary>
    private static async Task<(string Path, bool IsFolder)?> LocateModelAsync(IReadOnlyDictionary<string, string> tags, HashSet<string> artifacts, RunArtifacts files, CancellationToken cancel)
    {
        if (Tag(tags, "mltrack.model.path") is { } tagged)
        {
            tagged = tagged.Trim('/');
            if (artifacts.Contains(tagged)) return (tagged, false);
            if (artifacts.Any(a => a.StartsWith(tagged + "/", StringComparison.Ordinal))) return (tagged, true);
        }
        var ordered = artifacts.OrderBy(a => a.StartsWith("model/", StringComparison.Ordinal) ? 0 : 1).ThenBy(a => a.Length).ThenBy(a => a, StringComparer.Ordinal).ToList();
        foreach (var meta in ordered.Where(a => a == MetadataFileName || a.EndsWith("/" + MetadataFileName, StringComparison.Ordinal)))
        {
            var folder = meta.Contains('/') ? meta[..meta.LastIndexOf('/')] : "";
            if (Str(await ReadJsonAsync(files, meta, cancel).ConfigureAwait(false) as JsonObject, "file") is { } file && artifacts.Contains(Join(folder, file)))
                return (Join(folder, file), false);
        }
        foreach (var a in ordered)
        {
            if (a == "saved_model.pb" || a.EndsWith("/saved_model.pb", StringComparison.Ordinal))
                return a.Contains('/') ? (a[..a.LastIndexOf('/')], true) : null;
            if (s_modelExtensions.Any(e => a.EndsWith(e, StringComparison.OrdinalIgnoreCase))) return (a, false);
        }
        return null;
    }

    private static (TensorSpec, JsonArray)? InputFromExample(JsonNode? json)
    {
        if (json is not JsonObject example || example["data"] is not JsonArray rows || rows.Count == 0) return null;
        if (rows.Any(r => r is JsonObject)) return null; // dict examples say nothing about positions
        var columns = (example["columns"] as JsonArray)?.Select(c => c?.ToString() ?? "").ToList();
        return (TensorSpec.Infer(rows, columns, distinguishIntegers: false), (JsonArray)rows.DeepClone());
    }

    /// <summary>From <c>mltrack.model.input_shape</c> (JSON list) or autolog's <c>mltrack.training_data.shape</c>
    /// ("(150, 4)"), with the matching column tags; the example is one row of zeros.</summary>
    private static (TensorSpec, JsonArray)? InputFromTags(IReadOnlyDictionary<string, string> tags)
    {
        var shape = ParseShape(Tag(tags, "mltrack.model.input_shape")) ?? ParseShape(Tag(tags, "mltrack.training_data.shape"));
        if (shape is not { Count: >= 1 } || shape.Skip(1).Any(d => d < 0)) return null;
        List<string>? columns = null;
        if (Tag(tags, "mltrack.model.input_columns") is { } json)
        {
            try { columns = JsonSerializer.Deserialize<List<string>>(json); }
            catch (JsonException) { }
        }
        columns ??= Tag(tags, "mltrack.training_data.columns")?.Split(", ").ToList();
        var spec = TensorSpec.Numeric(shape.Skip(1).ToList(), columns);
        return (spec, new JsonArray(Zeros(spec.Shape, 0)));
    }

    private static JsonNode Zeros(IReadOnlyList<int> shape, int depth) =>
        depth == shape.Count ? JsonValue.Create(0.0) : new JsonArray(Enumerable.Range(0, shape[depth]).Select(_ => Zeros(shape, depth + 1)).ToArray());

    private static List<int>? ParseShape(string? text)
    {
        if (text is null) return null;
        var parts = text.Trim().Trim('(', ')', '[', ']').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var shape = new List<int>();
        foreach (var p in parts)
        {
            if (!int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d)) return null;
            shape.Add(d);
        }
        return shape.Count > 0 ? shape : null;
    }

    private async Task<JsonObject> ProbeAsync(string runId, ModelFramework framework, ModelFormat format, string version, string modelPath,
        string localPath, TensorSpec? input, JsonArray? example, CancellationToken cancel)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mltrack-probe-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, PredictorGenerator.PredictorFileName),
                PredictorGenerator.RenderPredictor(runId, framework, format, version, modelPath.Split('/')[^1], input));
            File.WriteAllText(Path.Combine(dir, DeployTemplates.Probe), DeployTemplates.Read(DeployTemplates.Probe));
            var args = new List<string> { dir, localPath };
            if (example is not null)
            {
                var examplePath = Path.Combine(dir, "example.json");
                File.WriteAllText(examplePath, example.ToJsonString());
                args.Add(examplePath);
            }
            var result = await python.RunAsync(DeployTemplates.Probe, args, dir, $"to load and run the model of run {runId}", cancel).ConfigureAwait(false);
            var line = result.Stdout.Split('\n').LastOrDefault(l => l.StartsWith("MLTRACK_PROBE ", StringComparison.Ordinal));
            if (result.ExitCode != 0 || line is null)
                throw new DeploymentException($"run {runId}: the {framework.ToString().ToLowerInvariant()} model '{modelPath}' could not be loaded and run with {python.Executable}: {result.LastErrorLine}");
            return JsonNode.Parse(line["MLTRACK_PROBE ".Length..]) as JsonObject
                   ?? throw new DeploymentException($"run {runId}: the model probe printed no result");
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { }
        }
    }

    private static ModelFormat DefaultFormat(ModelFramework framework, string path) => framework switch
    {
        ModelFramework.Sklearn => path.EndsWith(".joblib", StringComparison.OrdinalIgnoreCase) ? ModelFormat.Joblib : ModelFormat.Pickle,
        ModelFramework.PyTorch => ModelFormat.TorchSave,
        _ => ModelFormat.SavedModel,
    };

    private static DeploymentException Unsupported(string runId, string modelPath, string framework) =>
        new($"run {runId}: the model '{modelPath}' was saved with {framework}, which MLTrack cannot deploy; supported: {ModelFormats.Supported}");

    private static string FrameworkTitle(string framework, string? cls) =>
        framework == "python" && cls is not null ? $"framework 'python' (class {cls})" : $"framework '{framework}'";

    private static async Task<JsonNode?> ReadJsonAsync(RunArtifacts files, string path, CancellationToken cancel)
    {
        try
        {
            return await files.TryReadTextAsync(path, cancel).ConfigureAwait(false) is { } text ? JsonNode.Parse(text) : null;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or IOException)
        {
            return null;
        }
    }

    private static string Join(string folder, string name) => folder.Length == 0 ? name : folder + "/" + name;

    private static string? Tag(IReadOnlyDictionary<string, string> tags, string key) =>
        tags.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null;

    private static string? Str(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } s ? s : null;
}
