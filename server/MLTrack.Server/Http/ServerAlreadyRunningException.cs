namespace MLTrack.Server.Http;

/// <summary>
/// Another tracking server holds this store's <c>server.lock</c>. <see cref="Running"/> names it once its
/// <c>server.json</c> is written; null while it is still starting (replaying the spool, say).
/// </summary>
public sealed class ServerAlreadyRunningException(ServerInfo? running) : InvalidOperationException(running is null
    ? "Another tracking server for this store is starting (it holds .mltrack/server.lock); use that one once it is up."
    : $"A tracking server for this store is already running at {running.Url.ToString().TrimEnd('/')} (pid {running.Pid}).")
{
    public ServerInfo? Running { get; } = running;
}
