namespace MLTrack.Server.Rpc;

/// <summary>
/// <c>mltrack rpc --stdio</c>: serves the protocol on standard input/output until the client calls shutdown or
/// closes the pipe. Standard output carries only protocol frames: Console.Out is redirected to standard error first,
/// so a stray Console.WriteLine anywhere in the process cannot corrupt the stream.
/// </summary>
public static class RpcStdioHost
{
    /// <summary>How long the shutdown response gets to reach the client before the process ends.</summary>
    private static readonly TimeSpan ShutdownLinger = TimeSpan.FromMilliseconds(200);

    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var stdout = Console.OpenStandardOutput();
        Console.SetOut(Console.Error);
        var stdin = Console.OpenStandardInput();
        var options = new RpcOptions { Log = Console.Error };
        await using var connection = RpcConnection.Start(stdout, stdin, options);
        var shutdown = connection.Session.ShutdownRequested;
        var cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
        var first = await Task.WhenAny(connection.Completion, shutdown, cancelled).ConfigureAwait(false);
        if (first == shutdown) await Task.WhenAny(connection.Completion, Task.Delay(ShutdownLinger, CancellationToken.None)).ConfigureAwait(false);
        return 0;
    }
}
