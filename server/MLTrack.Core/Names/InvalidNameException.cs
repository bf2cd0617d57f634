namespace MLTrack.Core.Names;

/// <summary>A key or name refused by <see cref="NameRules"/>; the message names the character and its position.</summary>
public sealed class InvalidNameException(string message, string subject) : ArgumentException(message)
{
    /// <summary>What was refused, e.g. "metric key" or "run name".</summary>
    public string Subject { get; } = subject;
}
