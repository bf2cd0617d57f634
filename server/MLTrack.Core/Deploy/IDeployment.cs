namespace MLTrack.Core.Deploy;

/// <summary>A model deployment on one target. Status changes are raised in order through <see cref="StatusChanged"/>
/// (and kept in <see cref="History"/>); <see cref="StopAsync"/> may be called any number of times.</summary>
public interface IDeployment : IAsyncDisposable
{
    string Target { get; }
    DeploymentConfig Config { get; }
    DeploymentStatus Status { get; }
    /// <summary>The endpoint's base URL once READY (local: <c>http://127.0.0.1:PORT</c>; Modal: <c>https://…modal.run</c>).</summary>
    string? EndpointUrl { get; }
    /// <summary>The FAILED message, or the last status message.</summary>
    string? Message { get; }
    IReadOnlyList<DeploymentStatusChange> History { get; }
    /// <summary>Output of the tools and servers behind the deployment, secrets redacted, oldest first.</summary>
    IReadOnlyList<string> Logs { get; }

    event Action<DeploymentStatusChange>? StatusChanged;

    /// <summary>Deploys; ends READY or FAILED (a failure is a status, not an exception).</summary>
    Task StartAsync(CancellationToken cancel = default);

    /// <summary>Stops the deployment (STOPPED). Harmless when already stopped, failed or never started.</summary>
    Task StopAsync(CancellationToken cancel = default);
}
