namespace MLTrack.Server.Composition;

/// <summary>A setting (an option, an environment variable, an initialize parameter) has a value that cannot be used; the message names it.</summary>
public sealed class SettingsException(string message) : ArgumentException(message);
