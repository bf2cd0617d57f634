namespace MLTrack.Core.Launch;

/// <summary>Which of a launched process's output streams a line came from.</summary>
public enum OutputStreamKind
{
    Stdout,
    Stderr,
}
