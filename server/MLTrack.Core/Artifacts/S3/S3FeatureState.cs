namespace MLTrack.Core.Artifacts.S3;

/// <summary>The outcome of turning on a bucket feature (versioning, lifecycle).</summary>
public enum S3FeatureState
{
    /// <summary>Configured and, where it can be read back, confirmed.</summary>
    Enabled,

    /// <summary>The server does not implement it (e.g. NotImplemented), or accepted the request without effect.</summary>
    NotSupported,

    /// <summary>The server refused (e.g. AccessDenied): the credentials lack the permission.</summary>
    Denied,
}
