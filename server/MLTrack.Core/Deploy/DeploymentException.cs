namespace MLTrack.Core.Deploy;

/// <summary>A deployment step that cannot go on: no model, unsupported framework, bad config, a tool that failed.
/// The message is meant for the user as is (it never carries secrets).</summary>
public class DeploymentException(string message, Exception? inner = null) : Exception(message, inner);
