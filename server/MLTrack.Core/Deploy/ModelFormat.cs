namespace MLTrack.Core.Deploy;

/// <summary>How the model is stored on disk.</summary>
public enum ModelFormat
{
    /// <summary><c>joblib.dump</c> (scikit-learn).</summary>
    Joblib,
    /// <summary><c>pickle.dump</c> (scikit-learn).</summary>
    Pickle,
    /// <summary><c>torch.save(model)</c>: a whole <c>nn.Module</c>.</summary>
    TorchSave,
    /// <summary><c>torch.jit.save</c>: a TorchScript archive.</summary>
    TorchScript,
    /// <summary>A TensorFlow SavedModel directory (<c>saved_model.pb</c> + <c>variables/</c>).</summary>
    SavedModel,
}
