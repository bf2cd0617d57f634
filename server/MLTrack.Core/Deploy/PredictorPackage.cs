namespace MLTrack.Core.Deploy;

/// <summary>The files <see cref="PredictorGenerator"/> wrote: <c>predictor.py</c>, <c>openapi.json</c> and the model
/// copied under <c>model/</c> (null when the model was not copied, as for Modal, which fetches it).</summary>
public sealed record PredictorPackage(string Directory, string PredictorPath, string OpenApiPath, string? ModelPath);
