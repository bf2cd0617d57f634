namespace MLTrack.Core.Deploy;

/// <summary>The frameworks a predictor can be generated for. Lowercase names are what the client records
/// (<c>mltrack.model.framework</c>): <c>sklearn</c>, <c>pytorch</c>, <c>tensorflow</c>.</summary>
public enum ModelFramework
{
    Sklearn,
    PyTorch,
    TensorFlow,
}
