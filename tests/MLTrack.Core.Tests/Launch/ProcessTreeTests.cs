using MLTrack.Core.Launch;

namespace MLTrack.Core.Tests.Launch;

public class ProcessTreeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Descendants_include_grandchildren()
    {
        using var shell = ChildProcess.Shell("sh -c 'sleep 1000 & wait' & wait");
        Assert.True(ChildProcess.WaitUntil(() => ProcessTree.GetDescendants(shell.Pid).Count >= 2, Patience));
        foreach (var pid in ProcessTree.GetDescendants(shell.Pid)) Assert.True(ProcessTree.IsAlive(pid));
        await ProcessTree.KillTreeAsync(shell.Pid, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void A_live_process_is_alive_and_an_exited_one_is_not()
    {
        using var child = ChildProcess.Start("sleep", "1000");
        Assert.True(ProcessTree.IsAlive(child.Pid));
        child.Process.Kill();
        child.Process.WaitForExit();
        Assert.True(ChildProcess.WaitUntil(() => !ProcessTree.IsAlive(child.Pid), Patience));
    }

    [Fact]
    public void Non_positive_pids_are_never_alive()
    {
        Assert.False(ProcessTree.IsAlive(0));
        Assert.False(ProcessTree.IsAlive(-1));
    }

    [Fact]
    public void The_tree_uses_memory_and_cpu()
    {
        using var busy = ChildProcess.Start("python3", "-c", "import time\nx=bytearray(20*1024*1024)\nt=time.time()\nwhile time.time()-t<30: pass");
        Assert.True(ChildProcess.WaitUntil(() => ProcessTree.GetTreeRssBytes(busy.Pid) > 20L * 1024 * 1024, Patience));
        Assert.True(ChildProcess.WaitUntil(() => ProcessTree.GetTreeCpuTicks(busy.Pid) > 0, Patience));
    }

    [Fact]
    public void A_gone_process_has_no_memory_or_cpu()
    {
        Assert.Equal(0, ProcessTree.GetTreeRssBytes(int.MaxValue - 1));
        Assert.Equal(0, ProcessTree.GetTreeCpuTicks(int.MaxValue - 1));
    }

    [Fact]
    public async Task Killing_the_tree_ends_the_process_and_its_background_children()
    {
        using var shell = ChildProcess.Shell("sleep 1000 & sleep 1000 & wait");
        Assert.True(ChildProcess.WaitUntil(() => ProcessTree.GetDescendants(shell.Pid).Count >= 2, Patience));
        var children = ProcessTree.GetDescendants(shell.Pid);

        await ProcessTree.KillTreeAsync(shell.Pid, TimeSpan.FromSeconds(5));

        Assert.True(shell.Process.WaitForExit(10_000));
        Assert.All(children, pid => Assert.True(ChildProcess.WaitUntil(() => !ProcessTree.IsAlive(pid), Patience)));
    }

    [Fact]
    public async Task Processes_ignoring_sigterm_are_killed_after_the_grace_period()
    {
        // An ignored signal stays ignored across exec, so the sleep ignores SIGTERM too.
        using var shell = ChildProcess.Shell("trap '' TERM; sleep 1000 & wait");
        Assert.True(ChildProcess.WaitUntil(() => ProcessTree.GetDescendants(shell.Pid).Count >= 1, Patience));
        var children = ProcessTree.GetDescendants(shell.Pid);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await ProcessTree.KillTreeAsync(shell.Pid, TimeSpan.FromMilliseconds(300));

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(300));
        Assert.True(shell.Process.WaitForExit(10_000));
        Assert.All(children, pid => Assert.True(ChildProcess.WaitUntil(() => !ProcessTree.IsAlive(pid), Patience)));
    }

    [Fact]
    public async Task Orphans_carrying_the_environment_marker_are_killed_after_their_parent_died()
    {
        var marker = "MLTRACK_TEST_MARK=" + Guid.NewGuid().ToString("N");
        using var shell = ChildProcess.Start("env", marker, "sh", "-c", "sleep 1000 & echo started");
        Assert.True(shell.Process.WaitForExit(10_000)); // the shell is gone; its sleep now belongs to init
        using var unrelated = ChildProcess.Start("sleep", "1000");
        // The backgrounded child may still be a forked shell for a moment before it execs sleep: wait for it.
        List<int> orphans = [];
        Assert.True(ChildProcess.WaitUntil(() => (orphans = MarkedSleeps(marker)).Count == 1, Patience));

        await ProcessTree.KillMarkedAsync(marker, TimeSpan.FromSeconds(5));

        Assert.True(ChildProcess.WaitUntil(() => !ProcessTree.IsAlive(orphans[0]), Patience));
        Assert.True(ProcessTree.IsAlive(unrelated.Pid));
    }

    private static List<int> MarkedSleeps(string marker) =>
        System.Diagnostics.Process.GetProcessesByName("sleep").Where(p => ReadEnviron(p.Id).Contains(marker)).Select(p => p.Id).ToList();

    private static string ReadEnviron(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ""; // exited meanwhile (other tests' processes come and go)
        }
    }

    [Fact]
    public void The_start_time_of_a_new_process_is_now()
    {
        using var child = ChildProcess.Start("sleep", "1000");
        var started = ProcessTree.GetStartTime(child.Pid);
        Assert.NotNull(started);
        Assert.InRange(started.Value, DateTimeOffset.UtcNow.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(2));
    }
}
