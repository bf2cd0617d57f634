using System.ComponentModel;

namespace MLTrack.Core.Launch;

/// <summary>Picks the platform's <see cref="IChildGuard"/>.</summary>
internal static class ChildGuard
{
    /// <summary>
    /// Linux: a <see cref="ShellWatchdog"/> (it reads /proc). Elsewhere nothing yet: a run's processes outlive a
    /// launcher that is killed (issue 15 adds Windows Job Objects here; macOS would need its own process lookup).
    /// When /bin/sh cannot be started the run goes on unguarded, as before, with <paramref name="note"/> told why.
    /// </summary>
    public static IChildGuard Start(string environmentMarker, Action<string> note)
    {
        if (!ProcessTree.IsSupported) return None.Instance;
        try
        {
            return ShellWatchdog.Start(environmentMarker, ShellWatchdog.Grace);
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
            note($"No watchdog for this run ({e.Message}): its processes would outlive a killed launcher.");
            return None.Instance;
        }
    }

    private sealed class None : IChildGuard
    {
        public static readonly None Instance = new();

        public void Watch(int pid)
        {
        }

        public void Dispose()
        {
        }
    }
}
