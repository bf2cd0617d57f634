using System.Diagnostics;

namespace MLTrack.Core.Tests.Git;

/// <summary>Runs the real git command line, to check patches the way a user would apply them.</summary>
internal static class GitCli
{
    public static (int ExitCode, string Output) Run(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            psi.ArgumentList.Add(arg);
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";

        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    public static void MustRun(string workingDirectory, params string[] args)
    {
        var (exitCode, output) = Run(workingDirectory, args);
        Assert.True(exitCode == 0, $"git {string.Join(' ', args)} failed ({exitCode}): {output}");
    }

    /// <summary>Clones <paramref name="repository"/> into <paramref name="target"/> with <paramref name="commit"/> checked out.</summary>
    public static void CheckoutCopy(string repository, string commit, string target)
    {
        MustRun(repository, "clone", "--quiet", "--no-checkout", repository, target);
        MustRun(target, "checkout", "--quiet", "--detach", commit);
    }

    /// <summary>Runs <c>git apply</c> (with extra <paramref name="options"/>) of <paramref name="patch"/> in <paramref name="directory"/>.</summary>
    public static (int ExitCode, string Output) Apply(string directory, string patch, params string[] options)
    {
        string patchFile = Path.Combine(Path.GetTempPath(), "mltrack-test-" + Guid.NewGuid().ToString("N") + ".patch");
        File.WriteAllText(patchFile, patch);
        try
        {
            return Run(directory, ["apply", .. options, patchFile]);
        }
        finally
        {
            File.Delete(patchFile);
        }
    }
}
