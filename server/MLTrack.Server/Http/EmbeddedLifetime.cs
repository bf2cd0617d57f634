using Microsoft.Extensions.Hosting;

namespace MLTrack.Server.Http;

/// <summary>
/// A host lifetime that leaves Ctrl+C and SIGTERM to the process that embeds the server (the CLI command, the run
/// launcher, the RPC server): the default console lifetime would stop the server on its own at the first signal.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
