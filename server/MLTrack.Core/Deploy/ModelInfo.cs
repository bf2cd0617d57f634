using System.Text.Json.Nodes;

namespace MLTrack.Core.Deploy;

/// <summary>
/// What <see cref="ModelInspector"/> found about a run's model: where it is (artifact path and the local file or
/// SavedModel folder), its framework and the version it was saved with, and the request/response shape of one
/// instance with an example. <see cref="OutputSchema"/>/<see cref="OutputExample"/> come from a real prediction on
/// the example and are null when the inspection was asked not to run one.
/// </summary>
public sealed record ModelInfo
{
    public required string RunId { get; init; }
    public required ModelFramework Framework { get; init; }
    /// <summary>The version the model was saved with (client metadata/tags), else the one installed where it was probed; may be empty.</summary>
    public required string FrameworkVersion { get; init; }
    public required ModelFormat Format { get; init; }
    /// <summary>Artifact path of the model file (or SavedModel folder), e.g. <c>model/model.joblib</c>.</summary>
    public required string ArtifactPath { get; init; }
    /// <summary>Local file (or folder) holding the model.</summary>
    public required string LocalPath { get; init; }
    /// <summary>Fully qualified class recorded by the client (e.g. <c>sklearn.ensemble._forest.RandomForestClassifier</c>), if known.</summary>
    public string? ModelClass { get; init; }
    /// <summary>Python version the model was saved with (client metadata), if known.</summary>
    public string? PythonVersion { get; init; }
    /// <summary>How the framework was detected: <c>metadata</c> (mltrack_model.json), <c>tags</c>, or <c>signature</c> (file bytes).</summary>
    public required string DetectedBy { get; init; }
    public required TensorSpec InputSchema { get; init; }
    /// <summary>Example instances (a JSON array of instances), from the logged example or synthesized from the shape.</summary>
    public required JsonArray InputExample { get; init; }
    public TensorSpec? OutputSchema { get; init; }
    /// <summary>The model's predictions for <see cref="InputExample"/> (a JSON array), when a prediction was run.</summary>
    public JsonArray? OutputExample { get; init; }

    /// <summary>Lowercase framework name as the client records it.</summary>
    public string FrameworkName => Framework.ToString().ToLowerInvariant();

    /// <summary>File (or folder) name of the model, e.g. <c>model.joblib</c>.</summary>
    public string ModelFileName => ArtifactPath.Split('/')[^1];
}
