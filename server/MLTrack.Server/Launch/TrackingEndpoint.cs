namespace MLTrack.Server.Launch;

/// <summary>A live tracking server's address and token, and the environment that points a launched run at it.</summary>
public sealed record TrackingEndpoint(Uri Url, string Token)
{
    /// <summary>The zero-config capture (a sitecustomize) shipped beside the executable, put first on PYTHONPATH.</summary>
    public static string BootstrapDirectory => Path.Combine(AppContext.BaseDirectory, "python", "mltrack_bootstrap");

    /// <summary>
    /// Variables for the child: MLTrack's and MLflow's tracking URI and token (so the mltrack client, the bootstrap and
    /// unchanged mlflow code all log here), the experiment name, and the bootstrap first on PYTHONPATH.
    /// </summary>
    public Dictionary<string, string?> Environment(string experimentName)
    {
        var url = Url.ToString().TrimEnd('/');
        var existing = System.Environment.GetEnvironmentVariable("PYTHONPATH");
        return new Dictionary<string, string?>
        {
            ["MLTRACK_TRACKING_URI"] = url,
            ["MLTRACK_TOKEN"] = Token,
            ["MLFLOW_TRACKING_URI"] = url,
            ["MLFLOW_TRACKING_TOKEN"] = Token,
            ["MLFLOW_EXPERIMENT_NAME"] = experimentName,
            ["PYTHONPATH"] = string.IsNullOrEmpty(existing) ? BootstrapDirectory : BootstrapDirectory + Path.PathSeparator + existing,
        };
    }
}
