using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace MLTrack.Core.Launch;

/// <summary>
/// The Linux <see cref="IChildGuard"/>: a tiny <c>/bin/sh</c> process whose stdin is a pipe that only the launcher
/// holds. The kernel closes that pipe whenever the launcher dies; reading end-of-file without a <c>done</c> line first,
/// the watchdog sends SIGTERM to the run's processes, gives them <see cref="Grace"/> to exit (the Python client
/// flushes or spools its points on SIGTERM), then freezes and SIGKILLs what is left.
/// <para>
/// The run's processes are found as <see cref="ProcessTree"/> finds them: the root pid (checked against its start
/// time, so a reused pid is left alone), every process carrying the run's environment marker, and their descendants.
/// Not a process group: .NET cannot start a child in one, and a group of its own would take the script out of the
/// terminal's foreground group (no Ctrl-C, SIGTTIN on reading stdin). Not <c>PR_SET_PDEATHSIG</c> either: it fires when
/// the forking <em>thread</em> exits, and .NET forks from whichever thread-pool thread called Process.Start.
/// </para>
/// </summary>
internal sealed class ShellWatchdog : IChildGuard
{
    /// <summary>Time between SIGTERM and SIGKILL once the launcher is gone (the loop's overhead keeps the SIGKILL within 2 s).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(1.8);

    // $1 = the NAME=value marker, $2 = the grace in tenths of a second. Signals that reach the launcher's whole
    // process group (a terminal's Ctrl-C or hang-up) are ignored here: the watchdog must outlive the launcher.
    // The grace loop only re-reads the known pids (cheap); the kill rounds collect again, so whatever was forked
    // meanwhile is frozen and killed too.
    private const string Script = """
        exec >/dev/null 2>&1
        trap '' HUP INT QUIT TERM TSTP
        marker=$1
        ticks=$2
        root=
        root_start=
        list=' '
        stat_of() {
          s=
          { read -r s < "/proc/$1/stat"; } 2>/dev/null || return 1
          [ -n "$s" ] || return 1
          set -- ${s##*\)}
          st_state=$1 st_ppid=$2 st_start=${20}
        }
        collect() {
          list=' '
          if [ -n "$root" ] && stat_of "$root" && [ "$st_start" = "$root_start" ] && [ "$st_state" != Z ]; then list=" $root "; fi
          for f in $(grep -lzxF -e "$marker" /proc/[0-9]*/environ 2>/dev/null); do
            p=${f#/proc/}; p=${p%/environ}
            [ "$p" = "$$" ] && continue
            case $list in *" $p "*) ;; *) list="$list$p " ;; esac
          done
          [ "$list" = ' ' ] && return 0
          grew=1
          while [ "$grew" = 1 ]; do
            grew=0
            for d in /proc/[0-9]*; do
              p=${d#/proc/}
              case $list in *" $p "*) continue ;; esac
              stat_of "$p" || continue
              [ "$st_state" = Z ] && continue
              case $list in *" $st_ppid "*) list="$list$p "; grew=1 ;; esac
            done
          done
        }
        alive() {
          for p in $list; do
            stat_of "$p" && [ "$st_state" != Z ] && return 0
          done
          return 1
        }
        while IFS= read -r line; do
          case $line in
            done) exit 0 ;;
            pid\ *) root=${line#pid }; stat_of "$root" && root_start=$st_start ;;
          esac
        done
        collect
        [ "$list" = ' ' ] && exit 0
        kill -TERM $list
        kill -CONT $list
        i=0
        while [ "$i" -lt "$ticks" ] && alive; do
          sleep 0.1
          i=$((i + 1))
        done
        n=0
        while [ "$n" -lt 20 ]; do
          collect
          [ "$list" = ' ' ] && exit 0
          kill -STOP $list
          collect
          kill -KILL $list
          sleep 0.05
          n=$((n + 1))
        done
        """;

    private readonly Process _process;
    private readonly Lock _gate = new();
    private bool _closed;

    private ShellWatchdog(Process process) => _process = process;

    /// <summary>The watchdog's own pid (for tests).</summary>
    public int Pid => _process.Id;

    /// <summary>Starts the watchdog for the processes carrying <paramref name="environmentMarker"/> (<c>NAME=value</c>).</summary>
    /// <exception cref="Win32Exception">/bin/sh could not be started.</exception>
    public static ShellWatchdog Start(string environmentMarker, TimeSpan grace)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true, // the pipe only we hold: our death closes it
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Script);
        psi.ArgumentList.Add("mltrack-watchdog");
        psi.ArgumentList.Add(environmentMarker);
        psi.ArgumentList.Add(Math.Max(0, (int)Math.Round(grace.TotalMilliseconds / 100)).ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(psi) ?? throw new Win32Exception("Could not start /bin/sh.");
        process.StandardInput.AutoFlush = true;
        return new ShellWatchdog(process);
    }

    public void Watch(int pid) => Send($"pid {pid}");

    /// <summary>The launcher finished normally: the watchdog exits and kills nothing.</summary>
    public void Dispose()
    {
        Send("done");
        Close();
        _process.Dispose();
    }

    /// <summary>Closes the pipe without <c>done</c>, as the kernel does when the launcher dies (for tests).</summary>
    internal void Abandon() => Close();

    private void Send(string line)
    {
        lock (_gate)
        {
            if (_closed) return;
            try
            {
                _process.StandardInput.Write(line + "\n");
            }
            catch (IOException)
            {
                // The watchdog is gone (killed by someone): nothing left to tell it.
            }
        }
    }

    private void Close()
    {
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
            }
        }
    }
}
