using System.CommandLine;
using MLTrack.Server.Http;

namespace MLTrack.Server.Cli.Commands;

/// <summary>
/// <c>mltrack server [--http 127.0.0.1:PORT] [--allow-remote]</c>: runs the tracking HTTP server for the workspace
/// store in the foreground until Ctrl+C. Refuses to start (naming the running server's URL and pid, exit code 1)
/// when another server holds the store's <c>server.lock</c> or <c>server.json</c> names a live one.
/// </summary>
public static class ServerCommand
{
    public static Command Create(CliOutput output)
    {
        var http = new Option<string?>("--http")
        {
            Description = "Address to listen on, as HOST:PORT (default 127.0.0.1 on a free port). Non-loopback addresses need --allow-remote.",
        };
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Allow listening on an address other machines can reach." };
        var cmd = new Command("server", "Run the tracking server (MLflow-compatible REST API) for this store until Ctrl+C.");
        cmd.Options.Add(http);
        cmd.Options.Add(allowRemote);
        // On a thread of its own, so the action's task exists at once and Ctrl+C / SIGTERM wait for the clean stop below.
        cmd.SetAction((parse, cancel) => Task.Run(() => StoreSession.Run(parse, output, store =>
        {
            BindAddress bind;
            try
            {
                bind = parse.GetValue(http) is { Length: > 0 } text ? BindAddress.Parse(text) : BindAddress.LoopbackAnyPort;
            }
            catch (FormatException e)
            {
                throw new UsageException(e.Message);
            }
            var mltrackDir = Path.GetDirectoryName(Path.GetFullPath(store.Location))!;
            if (TrackingServer.FindRunning(mltrackDir) is { } running) return AlreadyRunning(output, running);
            using var artifacts = GlobalOptions.OpenArtifacts(parse, store);
            TrackingServer server;
            try
            {
                server = TrackingServer.StartAsync(store, new TrackingServerOptions
                {
                    Bind = bind,
                    AllowRemote = parse.GetValue(allowRemote),
                    MltrackDirectory = mltrackDir,
                    Log = output.Error,
                    Artifacts = artifacts,
                }, cancel).GetAwaiter().GetResult();
            }
            catch (ServerAlreadyRunningException e) when (e.Running is { } other)
            {
                return AlreadyRunning(output, other); // started at the same instant as that one: it won the lock
            }
            catch (InvalidOperationException e)
            {
                output.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Error;
            }
            catch (IOException e)
            {
                output.Error.WriteLine($"error: cannot listen on {bind}: {e.Message}");
                return ExitCodes.Error;
            }
            try
            {
                output.Out.WriteLine(server.BaseAddress.ToString().TrimEnd('/'));
                output.Out.Flush();
                output.Error.WriteLine($"mltrack: tracking server for {store.Location} (artifacts in {artifacts.Location}) at {server.BaseAddress} (token in {TokenFile.PathIn(mltrackDir)}); Ctrl+C stops it");
                try
                {
                    Task.WhenAny(Task.Delay(Timeout.Infinite, cancel), server.Stopped).GetAwaiter().GetResult();
                }
                catch (OperationCanceledException)
                {
                }
            }
            finally
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            output.Error.WriteLine("mltrack: tracking server stopped");
            return ExitCodes.Ok;
        }), CancellationToken.None));
        return cmd;
    }

    /// <summary>The answer when another server serves the store: its pid on stderr, its URL alone on stdout.</summary>
    private static int AlreadyRunning(CliOutput output, ServerInfo running)
    {
        output.Error.WriteLine($"error: a tracking server for this store is already running (pid {running.Pid}):");
        output.Out.WriteLine(running.Url.ToString().TrimEnd('/'));
        return ExitCodes.Error;
    }
}
