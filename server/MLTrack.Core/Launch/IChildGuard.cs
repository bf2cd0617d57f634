namespace MLTrack.Core.Launch;

/// <summary>
/// Makes a launched run's processes die with their launcher, however the launcher ends (kill -9 included): a run
/// whose launcher is gone must not go on running unrecorded. Started before the child, so a launcher that dies
/// between starting the child and naming it still takes the child along (found by the run's environment marker).
/// Disposing means "the launcher finished normally and dealt with the processes itself": nothing is killed.
/// </summary>
internal interface IChildGuard : IDisposable
{
    /// <summary>The run's root process, started after the guard.</summary>
    void Watch(int pid);
}
