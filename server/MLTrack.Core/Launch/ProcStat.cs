using System.Globalization;

namespace MLTrack.Core.Launch;

/// <summary>
/// The fields we use from one <c>/proc/&lt;pid&gt;/stat</c> line. CPU times are in clock ticks; StartTicks is ticks
/// after boot, which together with the pid identifies a process even after its pid is reused.
/// </summary>
internal readonly record struct ProcStat(int Pid, char State, int ParentPid, long UserTicks, long SystemTicks,
    long ChildUserTicks, long ChildSystemTicks, long StartTicks, long RssPages)
{
    public bool IsZombie => State is 'Z' or 'X' or 'x';

    /// <summary>Own CPU time plus that of children it has already waited for (so short-lived helpers still count).</summary>
    public long CpuTicks => UserTicks + SystemTicks + ChildUserTicks + ChildSystemTicks;

    public static ProcStat? Read(int pid)
    {
        try
        {
            return Parse(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // gone (or never existed) between listing and reading
        }
    }

    /// <summary>Every process visible in /proc right now.</summary>
    public static List<ProcStat> ReadAll()
    {
        var list = new List<ProcStat>();
        IEnumerable<string> dirs;
        try
        {
            dirs = Directory.EnumerateDirectories("/proc");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return list;
        }
        foreach (var dir in dirs)
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (Read(pid) is { } stat) list.Add(stat);
        }
        return list;
    }

    internal static ProcStat? Parse(string line)
    {
        // "pid (comm) S ppid ..." — comm may itself hold spaces and parentheses, so split after the last ')'.
        var open = line.IndexOf('(');
        var close = line.LastIndexOf(')');
        if (open <= 0 || close < open) return null;
        if (!int.TryParse(line.AsSpan(0, open).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) return null;
        var f = line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // f[0] is field 3 (state); field n is f[n - 3].
        if (f.Length < 22) return null;
        static long L(string s) => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0;
        return new ProcStat(pid, f[0][0], (int)L(f[1]), L(f[11]), L(f[12]), L(f[13]), L(f[14]), L(f[19]), L(f[21]));
    }
}
