namespace MLTrack.Core.Deploy;

/// <summary>How a Python script ended: exit code and everything it wrote.</summary>
public sealed record PythonResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The last non-empty line of stderr (a traceback's exception line), or of stdout when stderr is empty.</summary>
    public string LastErrorLine =>
        (Stderr.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0)
         ?? Stdout.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0)
         ?? $"exit code {ExitCode}");
}
