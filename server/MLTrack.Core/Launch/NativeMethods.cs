using System.Runtime.InteropServices;

namespace MLTrack.Core.Launch;

/// <summary>
/// The few libc calls process-tree handling needs. DllImport rather than LibraryImport because the generator would
/// require unsafe blocks in the project; these signatures are blittable, so no marshalling code is involved.
/// </summary>
internal static class NativeMethods
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;

    private const int _SC_CLK_TCK = 2;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);

    [DllImport("libc", EntryPoint = "sysconf", SetLastError = true)]
    private static extern long SysConf(int name);

    /// <summary>Sends a signal; false when the process is gone, not ours, or libc could not be reached.</summary>
    public static bool Kill(int pid, int signal)
    {
        if (pid <= 0) return false; // 0 and negatives address process groups, never what we mean
        try
        {
            return SysKill(pid, signal) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Kernel clock ticks per second (USER_HZ), the unit of /proc CPU times; 100 when unknown.</summary>
    public static long ClockTicksPerSecond()
    {
        try
        {
            var v = SysConf(_SC_CLK_TCK);
            return v > 0 ? v : 100;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 100;
        }
    }
}
