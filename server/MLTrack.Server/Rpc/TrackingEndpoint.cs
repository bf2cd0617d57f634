namespace MLTrack.Server.Rpc;

/// <summary>Where launched runs log: the tracking server's URL and bearer token, passed to them in the environment.</summary>
public sealed record TrackingEndpoint(Uri Url, string Token)
{
    /// <summary>The variables the mltrack and mlflow clients read.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["MLTRACK_TRACKING_URI"] = Url.ToString().TrimEnd('/'),
        ["MLTRACK_TOKEN"] = Token,
        ["MLFLOW_TRACKING_URI"] = Url.ToString().TrimEnd('/'),
        ["MLFLOW_TRACKING_TOKEN"] = Token,
    };
}
