using MLTrack.Core.Artifacts;
using MLTrack.Core.Runs;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Launch;

/// <summary>
/// Finds runs left RUNNING by a launcher that died (killed, machine rebooted, power cut) and marks them CRASHED, so
/// no run stays "running" forever. Their metrics, params and artifacts are kept as they are.
/// </summary>
public static class CrashRecovery
{
    /// <summary>Slack for comparing a process's start with a run's: /proc's boot time has whole-second resolution.</summary>
    private const long StartToleranceMs = 2000;

    /// <summary>
    /// Marks CRASHED (with an end time of now) every RUNNING run recorded on this host whose process is gone.
    /// The rule, per run:
    /// <list type="bullet">
    /// <item>another host, or no pid recorded: left alone (we cannot see that process);</item>
    /// <item>no live process with that pid (zombies count as dead): crashed;</item>
    /// <item>a live process with that pid that started after the run did: the pid was reused, so the run's own
    /// process is gone: crashed. (Comparing start times rather than command lines also works for runs whose pid is a
    /// Python process that logs through the client, not an mltrack launcher.)</item>
    /// <item>otherwise (including a start time we cannot read): still running.</item>
    /// </list>
    /// A run whose owner is gone is still left RUNNING while any process carrying its environment marker
    /// (<c>MLTRACK_RUN_ID=&lt;run&gt;</c>, inherited by everything the launcher started) is alive: a CRASHED run has no
    /// live process. Such leftovers are not killed here (any mltrack command runs this check, and killing a user's
    /// processes is the launcher's watchdog's job, which does it within about 2 s of the launcher's death); the next
    /// check after they are gone marks the run.
    /// A log left by the dead launcher is recorded as the <c>logs/output.log</c> artifact when present.
    /// Returns the ids of the runs marked.
    /// </summary>
    /// <param name="artifacts">Where the leftover logs are stored; null: the store's local artifact folder.</param>
    public static IReadOnlyList<string> MarkCrashedRuns(ITrackingStore store, IArtifactStore? artifacts = null)
    {
        var host = Environment.MachineName;
        var marked = new List<string>();
        foreach (var run in store.ListRunningRuns())
        {
            if (run.Pid is not { } pid || !string.Equals(run.Host, host, StringComparison.OrdinalIgnoreCase)) continue;
            if (IsOwnerAlive(pid, run.StartTime) || AreProcessesAlive(run.RunId)) continue;
            try
            {
                store.UpdateRun(run.RunId, new RunUpdate { Status = RunStatus.CRASHED, EndTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
            }
            catch (StoreException)
            {
                continue; // deleted or changed meanwhile: not ours to mark
            }
            marked.Add(run.RunId);
            RecordLeftoverLog(store, artifacts, run.RunId);
        }
        return marked;
    }

    /// <summary>True when a process with <paramref name="pid"/> is alive and could be the one that started a run at <paramref name="runStartMs"/>.</summary>
    internal static bool IsOwnerAlive(int pid, long runStartMs)
    {
        if (!ProcessTree.IsAlive(pid)) return false;
        if (ProcessTree.GetStartTime(pid) is not { } started) return true; // cannot tell: never crash a run that may be live
        return started.ToUnixTimeMilliseconds() <= runStartMs + StartToleranceMs;
    }

    /// <summary>True while a process started for the run (it carries the run's environment marker) is alive.</summary>
    internal static bool AreProcessesAlive(string runId) => ProcessTree.AnyMarkedAlive($"{RunLauncher.RunIdVariable}={runId}");

    private static void RecordLeftoverLog(ITrackingStore store, IArtifactStore? artifactStore, string runId)
    {
        try
        {
            var artifacts = artifactStore is null ? new RunArtifacts(store, runId) : new RunArtifacts(store, artifactStore, runId);
            if (artifacts.Folder.IsFile(RunLauncher.LogArtifactPath)) artifacts.Record(RunLauncher.LogArtifactPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StoreException)
        {
            // The status is what matters; a log we cannot read stays unlisted.
        }
    }
}
