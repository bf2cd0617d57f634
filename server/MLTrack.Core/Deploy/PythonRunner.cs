using System.ComponentModel;
using System.Diagnostics;

namespace MLTrack.Core.Deploy;

/// <summary>
/// Runs a Python script in a child process (never Python in-process) with a time limit: the interpreter is
/// <see cref="Executable"/> (default: <c>$MLTRACK_PYTHON</c>, else <c>python3</c> on PATH). Used to probe models and to
/// serve the local target, so the model runs in the same interpreter the user trains with.
/// </summary>
public sealed class PythonRunner(string? executable = null, TimeSpan? timeout = null)
{
    public string Executable { get; } = executable ?? DefaultExecutable;

    public TimeSpan Timeout { get; } = timeout ?? TimeSpan.FromSeconds(120);

    public static string DefaultExecutable =>
        Environment.GetEnvironmentVariable("MLTRACK_PYTHON") is { Length: > 0 } p ? p : "python3";

    /// <summary>A start-info for <c>python -u script args…</c> in <paramref name="workingDirectory"/>, output redirected.</summary>
    public ProcessStartInfo StartInfo(string script, IEnumerable<string> args, string workingDirectory)
    {
        var psi = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-u");
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        psi.Environment["PYTHONIOENCODING"] = "utf-8";
        return psi;
    }

    /// <summary>Runs the script to its end. <see cref="DeploymentException"/> when Python cannot be started or the
    /// script outlives <see cref="Timeout"/> (the process tree is killed); a non-zero exit is returned, not thrown.</summary>
    public async Task<PythonResult> RunAsync(string script, IEnumerable<string> args, string workingDirectory, string purpose, CancellationToken cancel = default)
    {
        var psi = StartInfo(script, args, workingDirectory);
        using var process = Start(psi, purpose);
        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancel.ThrowIfCancellationRequested();
            throw new DeploymentException($"{Executable} took longer than {Timeout.TotalSeconds:0} s {purpose} and was stopped.");
        }
        return new PythonResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Starts a process, turning "not found" into a <see cref="DeploymentException"/> that names the interpreter.</summary>
    internal Process Start(ProcessStartInfo psi, string purpose)
    {
        try
        {
            return Process.Start(psi) ?? throw new DeploymentException($"Could not start {Executable} {purpose}.");
        }
        catch (Win32Exception e)
        {
            throw new DeploymentException(
                $"Python interpreter '{Executable}' could not be started {purpose} ({e.Message}). Set MLTRACK_PYTHON to the python that has the model's framework installed.", e);
        }
    }

    internal static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        catch (Win32Exception)
        {
        }
    }
}
