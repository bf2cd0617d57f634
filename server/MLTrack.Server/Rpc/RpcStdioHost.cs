using MLTrack.Server.Cli;

namespace MLTrack.Server.Rpc;

/// <summary>
/// <c>mltrack rpc --stdio</c>: serves the protocol on standard input/output until the client calls shutdown or
/// closes the pipe. Standard output carries only protocol frames: Console.Out is redirected to standard error first,
/// so a stray Console.WriteLine anywhere in the process cannot corrupt the stream. Malformed frames are answered and
/// skipped; only input that cannot be resynchronised ends the process, with a non-zero exit code and the reason on
/// standard error, so the editor's restart policy starts a fresh backend.
/// </summary>
public static class RpcStdioHost
{
    /// <summary>How long the shutdown response gets to reach the client before the process ends.</summary>
    private static readonly TimeSpan ShutdownLinger = TimeSpan.FromMilliseconds(200);

    /// <param name="artifactsUri">The artifact store (<see cref="RpcOptions.ArtifactsUri"/>); null: the store's local folder.</param>
    public static async Task<int> RunAsync(CancellationToken cancellationToken, string? artifactsUri = null)
    {
        var stdout = Console.OpenStandardOutput();
        Console.SetOut(Console.Error);
        var stdin = Console.OpenStandardInput();
        var options = new RpcOptions { Log = Console.Error, ArtifactsUri = artifactsUri };
        await using var connection = RpcConnection.Start(stdout, stdin, options);
        var shutdown = connection.Session.ShutdownRequested;
        var cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
        var first = await Task.WhenAny(connection.Completion, shutdown, cancelled).ConfigureAwait(false);
        if (first == shutdown) await Task.WhenAny(connection.Completion, Task.Delay(ShutdownLinger, CancellationToken.None)).ConfigureAwait(false);
        if (first != connection.Completion) return ExitCodes.Ok;
        if (connection.InputFailure is { } failure)
        {
            Console.Error.WriteLine($"mltrack rpc: exiting: {failure}. The editor restarts the backend.");
            return ExitCodes.Error;
        }
        if (connection.Completion.Exception is { } e)
        {
            Console.Error.WriteLine($"mltrack rpc: exiting: the connection failed: {e.GetBaseException().Message}");
            return ExitCodes.Error;
        }
        return ExitCodes.Ok;
    }
}
