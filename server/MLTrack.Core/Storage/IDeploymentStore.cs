using MLTrack.Core.Deploy;

namespace MLTrack.Core.Storage;

/// <summary>Deployment records (the processes and endpoints themselves are the deployment service's).</summary>
public interface IDeploymentStore
{
    /// <summary>Inserts or replaces the record with its id.</summary>
    void SaveDeployment(DeploymentRecord deployment);
    /// <summary>The record, or null when there is none with that id.</summary>
    DeploymentRecord? FindDeployment(string deploymentId);
    /// <summary>Deployments, newest first; only <paramref name="runId"/>'s when given.</summary>
    IReadOnlyList<DeploymentRecord> ListDeployments(string? runId = null);
    /// <summary>Removes the record; false when there was none.</summary>
    bool DeleteDeployment(string deploymentId);
}
