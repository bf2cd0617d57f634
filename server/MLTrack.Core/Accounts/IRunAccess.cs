namespace MLTrack.Core.Accounts;

/// <summary>
/// The run-level checks of the acting principal, for services that keep their own process-wide store (deployments):
/// they ask before acting on a run. <see cref="AuthorizedTrackingStore"/> answers for a signed-in principal;
/// <see cref="Unrestricted"/> in local mode.
/// </summary>
public interface IRunAccess
{
    /// <summary>True when the principal may see the run (an unknown run is not visible).</summary>
    bool CanSeeRun(string runId);

    /// <summary>Throws unless the principal may change the run: not found when it may not see it, PERMISSION_DENIED naming the role otherwise.</summary>
    /// <param name="action">What is being done, for the message ("Deploying").</param>
    void RequireWriteRun(string runId, string action);

    public static IRunAccess Unrestricted { get; } = new Everything();

    private sealed class Everything : IRunAccess
    {
        public bool CanSeeRun(string runId) => true;

        public void RequireWriteRun(string runId, string action)
        {
        }
    }
}
