using System.Diagnostics;
using System.Globalization;

namespace MLTrack.Core.Launch;

/// <summary>
/// A launched process and everything it started, read from Linux <c>/proc</c>. .NET cannot start a child in its own
/// process group, so the tree is found by walking parent pids instead of signalling a group.
/// Elsewhere it degrades: resource figures read 0 and killing falls back to <see cref="Process.Kill(bool)"/>.
/// </summary>
public static class ProcessTree
{
    private static readonly Lazy<long> s_ticksPerSecond = new(NativeMethods.ClockTicksPerSecond);
    private static readonly Lazy<long?> s_bootTime = new(ReadBootTime);

    /// <summary>True where /proc gives us the tree (Linux).</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && File.Exists("/proc/self/stat");

    /// <summary>Units of <see cref="GetTreeCpuTicks"/> per second.</summary>
    public static long ClockTicksPerSecond => s_ticksPerSecond.Value;

    /// <summary>Pids of every live descendant of <paramref name="pid"/> (children, grandchildren, …), not the pid itself.</summary>
    public static IReadOnlyList<int> GetDescendants(int pid)
    {
        if (!IsSupported) return [];
        return Descendants(ProcStat.ReadAll(), [pid]).Where(p => p.Pid != pid).Select(p => p.Pid).ToList();
    }

    /// <summary>Resident memory of the process and its descendants, in bytes (0 when unknown or gone).</summary>
    public static long GetTreeRssBytes(int pid) =>
        Tree(pid).Sum(p => p.RssPages) * Environment.SystemPageSize;

    /// <summary>CPU time used so far by the process and its live descendants, in clock ticks (see <see cref="ClockTicksPerSecond"/>).</summary>
    public static long GetTreeCpuTicks(int pid) => Tree(pid).Sum(p => p.CpuTicks);

    /// <summary>True when the process exists and is not a zombie (an exited process nobody has reaped yet is dead to us).</summary>
    public static bool IsAlive(int pid)
    {
        if (pid <= 0) return false;
        if (IsSupported) return ProcStat.Read(pid) is { IsZombie: false };
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>When the process started (to tell a reused pid from the original), or null when it is gone or unknown.</summary>
    public static DateTimeOffset? GetStartTime(int pid)
    {
        if (pid <= 0) return null;
        if (IsSupported)
        {
            if (ProcStat.Read(pid) is not { } stat || s_bootTime.Value is not { } boot) return null;
            return DateTimeOffset.FromUnixTimeMilliseconds(boot * 1000 + stat.StartTicks * 1000 / ClockTicksPerSecond);
        }
        try
        {
            using var p = Process.GetProcessById(pid);
            return new DateTimeOffset(p.StartTime);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// Ends the process and all its descendants: freezes the tree (SIGSTOP, repeated until no new process appears, so
    /// nothing can fork or be orphaned out of reach meanwhile), sends SIGTERM and SIGCONT to all, waits up to
    /// <paramref name="grace"/> for them to exit, then SIGKILLs whatever is left. Processes are tracked by pid and start
    /// time, so a pid reused meanwhile is never signalled, and this process itself never is. Returns once all are gone
    /// or SIGKILL has been sent.
    /// </summary>
    /// <param name="environmentMarker">
    /// An exact <c>NAME=value</c> environment entry (such as <c>MLTRACK_RUN_ID=…</c>): processes carrying it belong
    /// to the tree too. This finds background processes orphaned before the kill (their parent died of a terminal's
    /// SIGINT, say), which the parent-pid walk can no longer reach.
    /// </param>
    public static Task KillTreeAsync(int pid, TimeSpan grace, string? environmentMarker = null, CancellationToken cancel = default) =>
        KillAsync(pid, environmentMarker, grace, cancel);

    /// <summary>
    /// Ends every process carrying the <c>NAME=value</c> environment entry (and their descendants), as
    /// <see cref="KillTreeAsync"/> does, for when the root process has already exited.
    /// </summary>
    public static Task KillMarkedAsync(string environmentMarker, TimeSpan grace, CancellationToken cancel = default) =>
        KillAsync(null, environmentMarker, grace, cancel);

    private static async Task KillAsync(int? root, string? marker, TimeSpan grace, CancellationToken cancel)
    {
        if (!IsSupported)
        {
            if (root is { } pid) KillPortable(pid);
            return;
        }
        var markerBytes = marker is null ? null : System.Text.Encoding.UTF8.GetBytes(marker + "\0");
        var known = new Dictionary<int, long>(); // pid -> start ticks
        Collect(known, root, markerBytes, signal: NativeMethods.SIGSTOP);
        foreach (var p in known.Keys)
        {
            NativeMethods.Kill(p, NativeMethods.SIGTERM);
            NativeMethods.Kill(p, NativeMethods.SIGCONT);
        }
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < grace && AnyAlive(known))
            await Task.Delay(TimeSpan.FromMilliseconds(25), cancel).ConfigureAwait(false);
        if (!AnyAlive(known)) return;
        // Anything forked after SIGCONT is picked up as a descendant of a tracked process; freeze first, then kill.
        Collect(known, root, markerBytes, signal: NativeMethods.SIGSTOP);
        foreach (var (p, start) in known)
            if (IsSame(p, start)) NativeMethods.Kill(p, NativeMethods.SIGKILL);
        deadline.Restart();
        while (deadline.Elapsed < TimeSpan.FromSeconds(2) && AnyAlive(known))
            await Task.Delay(TimeSpan.FromMilliseconds(25), cancel).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds to <paramref name="known"/> the live tree under the root, under processes carrying the marker and under
    /// every still-live known process, signalling each new member. Known processes are matched by start time, so a
    /// reused pid is neither a root nor signalled.
    /// </summary>
    private static void Collect(Dictionary<int, long> known, int? root, byte[]? marker, int signal)
    {
        var self = Environment.ProcessId;
        for (var round = 0; round < 50; round++)
        {
            var all = ProcStat.ReadAll();
            var current = all.ToDictionary(p => p.Pid, p => p.StartTicks);
            var roots = known.Where(k => current.TryGetValue(k.Key, out var start) && start == k.Value).Select(k => k.Key).ToList();
            if (known.Count == 0 && root is { } r) roots.Add(r);
            if (marker is not null) roots.AddRange(all.Where(p => p.Pid != self && !known.ContainsKey(p.Pid) && HasEnvironmentEntry(p.Pid, marker)).Select(p => p.Pid));
            var found = 0;
            foreach (var p in Descendants(all, roots))
            {
                if (p.Pid == self || p.IsZombie || known.ContainsKey(p.Pid)) continue; // already handled, or a reused pid: not ours
                known[p.Pid] = p.StartTicks;
                NativeMethods.Kill(p.Pid, signal);
                found++;
            }
            if (found == 0) return;
        }
    }

    /// <summary>Whether any live process (other than this one) carries the <c>NAME=value</c> environment entry.</summary>
    public static bool AnyMarkedAlive(string environmentMarker)
    {
        if (!IsSupported) return false;
        var marker = System.Text.Encoding.UTF8.GetBytes(environmentMarker + "\0");
        var self = Environment.ProcessId;
        return ProcStat.ReadAll().Any(p => p.Pid != self && !p.IsZombie && HasEnvironmentEntry(p.Pid, marker));
    }

    /// <summary>Whether the process's initial environment holds the entry (given as <c>NAME=value\0</c>).</summary>
    private static bool HasEnvironmentEntry(int pid, byte[] entry)
    {
        byte[] environ;
        try
        {
            environ = File.ReadAllBytes($"/proc/{pid}/environ");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // gone, or another user's process: not ours either way
        }
        // Entries are NUL-terminated: match the first one, or one right after a NUL (not the tail of another value).
        return environ.AsSpan().StartsWith(entry) || environ.AsSpan().IndexOf([(byte)0, .. entry]) >= 0;
    }

    private static bool AnyAlive(Dictionary<int, long> known) => known.Any(k => IsSame(k.Key, k.Value));

    private static bool IsSame(int pid, long startTicks) => ProcStat.Read(pid) is { IsZombie: false } s && s.StartTicks == startTicks;

    /// <summary>
    /// CPU ticks and resident bytes of the tree from one /proc snapshot, or null when the root is gone or already a
    /// zombie (whose memory reads 0, which would chart as a false drop at the end of every run).
    /// </summary>
    internal static (long CpuTicks, long RssBytes)? GetTreeUsage(int pid)
    {
        var tree = Tree(pid);
        if (tree.Count == 0 || tree[0].Pid != pid || tree[0].IsZombie) return null;
        return (tree.Sum(p => p.CpuTicks), tree.Sum(p => p.RssPages) * Environment.SystemPageSize);
    }

    /// <summary>The root (when alive) and its descendants.</summary>
    private static List<ProcStat> Tree(int pid) => IsSupported && pid > 0 ? Descendants(ProcStat.ReadAll(), [pid]) : [];

    /// <summary>The given roots that are present in <paramref name="all"/> plus every process descending from them.</summary>
    private static List<ProcStat> Descendants(List<ProcStat> all, IReadOnlyCollection<int> roots)
    {
        var children = all.ToLookup(p => p.ParentPid);
        var byPid = all.ToDictionary(p => p.Pid);
        var result = new List<ProcStat>();
        var seen = new HashSet<int>();
        var queue = new Queue<int>(roots);
        while (queue.Count > 0)
        {
            var pid = queue.Dequeue();
            if (!seen.Add(pid)) continue;
            if (byPid.TryGetValue(pid, out var stat)) result.Add(stat);
            foreach (var child in children[pid]) queue.Enqueue(child.Pid);
        }
        return result;
    }

    private static void KillPortable(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            p.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or not ours to kill: nothing more we can do here.
        }
    }

    private static long? ReadBootTime()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/stat"))
                if (line.StartsWith("btime ", StringComparison.Ordinal) &&
                    long.TryParse(line.AsSpan(6).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var t))
                    return t;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }
}
