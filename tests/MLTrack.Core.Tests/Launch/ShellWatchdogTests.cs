using System.Diagnostics;
using MLTrack.Core.Launch;

namespace MLTrack.Core.Tests.Launch;

/// <summary>
/// The watchdog that makes a run's processes die with their launcher. <see cref="ShellWatchdog.Abandon"/> closes its
/// pipe without "done", which is what the kernel does when the launcher dies (the fault suite kills a real launcher).
/// </summary>
public sealed class ShellWatchdogTests : IDisposable
{
    private readonly string _marker = $"MLTRACK_RUN_ID=watchdog-test-{Guid.NewGuid():N}";
    private readonly string _folder = Directory.CreateTempSubdirectory("mltrack-watchdog-").FullName;
    private readonly List<Process> _started = [];

    public void Dispose()
    {
        ProcessTree.KillMarkedAsync(_marker, TimeSpan.Zero).GetAwaiter().GetResult();
        foreach (var p in _started) p.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A shell script run with the marker in its environment, as the launcher starts a run's command.</summary>
    private Process StartMarked(string script)
    {
        var psi = new ProcessStartInfo("sh") { UseShellExecute = false, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        var (name, value) = (_marker.Split('=')[0], _marker.Split('=')[1]);
        psi.Environment[name] = value;
        var p = Process.Start(psi)!;
        _started.Add(p);
        return p;
    }

    private static bool Gone(int pid, TimeSpan within) => ChildProcess.WaitUntil(() => !ProcessTree.IsAlive(pid), within);

    [Fact]
    public void When_the_launcher_dies_the_child_and_its_children_are_terminated()
    {
        using var watchdog = ShellWatchdog.Start(_marker, TimeSpan.FromSeconds(1));
        var child = StartMarked("sleep 1000 & echo $!; wait");
        var grandchild = int.Parse(child.StandardOutput.ReadLine()!);
        watchdog.Watch(child.Id);

        watchdog.Abandon();

        Assert.True(Gone(child.Id, TimeSpan.FromSeconds(5)), "the child outlived its launcher");
        Assert.True(Gone(grandchild, TimeSpan.FromSeconds(5)), "the child's child outlived the launcher");
    }

    [Fact]
    public void A_process_gets_the_grace_to_finish_its_sigterm_handler()
    {
        var flushed = Path.Combine(_folder, "flushed");
        using var watchdog = ShellWatchdog.Start(_marker, TimeSpan.FromSeconds(2));
        var child = StartMarked($"trap 'sleep 0.5; echo yes > {flushed}; exit 0' TERM; echo ready; while :; do sleep 0.05; done");
        Assert.Equal("ready", child.StandardOutput.ReadLine());
        watchdog.Watch(child.Id);

        watchdog.Abandon();

        Assert.True(Gone(child.Id, TimeSpan.FromSeconds(5)));
        Assert.Equal("yes\n", File.ReadAllText(flushed));
    }

    [Fact]
    public void A_process_that_ignores_sigterm_is_killed_after_the_grace()
    {
        using var watchdog = ShellWatchdog.Start(_marker, TimeSpan.FromSeconds(0.5));
        var child = StartMarked("trap '' TERM; echo ready; while :; do sleep 0.05; done");
        Assert.Equal("ready", child.StandardOutput.ReadLine());
        watchdog.Watch(child.Id);
        var clock = Stopwatch.StartNew();

        watchdog.Abandon();

        Assert.True(Gone(child.Id, TimeSpan.FromSeconds(5)), "a process ignoring SIGTERM outlived the watchdog");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.4), $"killed after {clock.Elapsed.TotalSeconds:0.00} s, before the grace");
    }

    [Fact]
    public void A_child_not_yet_named_is_found_by_the_runs_environment_marker()
    {
        using var watchdog = ShellWatchdog.Start(_marker, TimeSpan.FromSeconds(1));
        var child = StartMarked("echo ready; sleep 1000");
        Assert.Equal("ready", child.StandardOutput.ReadLine());

        watchdog.Abandon(); // the launcher died between starting the child and telling the watchdog its pid

        Assert.True(Gone(child.Id, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_launcher_that_finishes_normally_leaves_the_processes_alone()
    {
        var watchdog = ShellWatchdog.Start(_marker, TimeSpan.FromSeconds(0.5));
        var watchdogPid = watchdog.Pid;
        var child = StartMarked("echo ready; sleep 1000");
        Assert.Equal("ready", child.StandardOutput.ReadLine());
        watchdog.Watch(child.Id);

        watchdog.Dispose();

        Assert.True(Gone(watchdogPid, TimeSpan.FromSeconds(5)), "the watchdog did not exit on done");
        Thread.Sleep(300);
        Assert.True(ProcessTree.IsAlive(child.Id));
    }

    [Fact]
    public void Processes_of_other_runs_are_left_alone()
    {
        using var other = ChildProcess.Start("sleep", "1000"); // no marker, not a descendant
        using var watchdog = ShellWatchdog.Start(_marker, TimeSpan.FromSeconds(0.5));
        var child = StartMarked("sleep 1000");
        watchdog.Watch(child.Id);

        watchdog.Abandon();

        Assert.True(Gone(child.Id, TimeSpan.FromSeconds(5)));
        Assert.True(ProcessTree.IsAlive(other.Pid));
    }
}
