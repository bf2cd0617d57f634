using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace MLTrack.Core.Tests.Deploy;

/// <summary>Debian's python3 (it has scikit-learn and numpy; the python3 first on PATH may not), and repository paths.</summary>
public static class TestPython
{
    public static string Executable => Environment.GetEnvironmentVariable("MLTRACK_TEST_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    public static string RepoRoot { get; } = FindRoot();

    public static string ClientPath => Path.Combine(RepoRoot, "clients", "python");

    public static string ModalStandIn => Path.Combine(RepoRoot, "tests", "fixtures", "modal-standin", "modal");

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string script, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary><c>python3 -m py_compile FILE</c>: (ok, error text).</summary>
    public static async Task<(bool Ok, string Error)> CompileAsync(string file)
    {
        var psi = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-m", "py_compile", file }) psi.ArgumentList.Add(a);
        psi.Environment["PYTHONPYCACHEPREFIX"] = Path.Combine(Path.GetTempPath(), "mltrack-pycache");
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode == 0, await stderr);
    }

    // the build output may live outside the repository (--artifacts-path): also look above this source file
    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MLTrack.Ide.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException("Cannot find the repository root (MLTrack.Ide.sln) above " + AppContext.BaseDirectory);
    }
}
