using System.Diagnostics;

namespace MLTrack.Core.Tests.Launch;

/// <summary>Starts throwaway child processes for tests and makes sure none outlives the test.</summary>
public sealed class ChildProcess : IDisposable
{
    private ChildProcess(Process process) => Process = process;

    public Process Process { get; }
    public int Pid => Process.Id;

    public static ChildProcess Start(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return new ChildProcess(Process.Start(psi)!);
    }

    public static ChildProcess Shell(string script) => Start("sh", "-c", script);

    /// <summary>Polls until the condition holds or the timeout passes; returns whether it held.</summary>
    public static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (condition()) return true;
            Thread.Sleep(20);
        }
        return condition();
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        Process.Dispose();
    }
}
