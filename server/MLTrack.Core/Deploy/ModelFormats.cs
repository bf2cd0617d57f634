namespace MLTrack.Core.Deploy;

/// <summary>The names formats and frameworks go by in client metadata and generated files.</summary>
internal static class ModelFormats
{
    public static string Name(ModelFormat format) => format switch
    {
        ModelFormat.Joblib => "joblib",
        ModelFormat.Pickle => "pickle",
        ModelFormat.TorchSave => "torch",
        ModelFormat.TorchScript => "torchscript",
        ModelFormat.SavedModel => "savedmodel",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static ModelFormat? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "joblib" => ModelFormat.Joblib,
        "pickle" or "pkl" => ModelFormat.Pickle,
        "torch" or "pytorch" or "torch.save" => ModelFormat.TorchSave,
        "torchscript" or "jit" => ModelFormat.TorchScript,
        "savedmodel" or "saved_model" or "tf" => ModelFormat.SavedModel,
        _ => null,
    };

    public static ModelFramework FrameworkOf(ModelFormat format) => format switch
    {
        ModelFormat.Joblib or ModelFormat.Pickle => ModelFramework.Sklearn,
        ModelFormat.TorchSave or ModelFormat.TorchScript => ModelFramework.PyTorch,
        _ => ModelFramework.TensorFlow,
    };

    /// <summary>A framework name as the client or a user writes it; null when it is not one MLTrack can serve.</summary>
    public static ModelFramework? ParseFramework(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "sklearn" or "scikit-learn" or "scikit_learn" => ModelFramework.Sklearn,
        "pytorch" or "torch" => ModelFramework.PyTorch,
        "tensorflow" or "tf" => ModelFramework.TensorFlow,
        _ => null,
    };

    /// <summary>The pip distribution that provides a framework.</summary>
    public static string PipPackage(ModelFramework framework) => framework switch
    {
        ModelFramework.Sklearn => "scikit-learn",
        ModelFramework.PyTorch => "torch",
        _ => "tensorflow",
    };

    public const string Supported = "scikit-learn (pickle/joblib), PyTorch (torch.save/TorchScript), TensorFlow (SavedModel)";
}
