using System.CommandLine;
using MLTrack.Server.Http;
using MLTrack.Server.Http.Auth;

namespace MLTrack.Server.Cli.Commands;

/// <summary>
/// <c>mltrack server [--http 127.0.0.1:PORT] [--allow-remote]</c>: runs the tracking HTTP server for the store in the
/// foreground until Ctrl+C. For a SQLite store it refuses to start (naming the running server's URL and pid, exit
/// code 1) when another server holds the store's <c>server.lock</c> or <c>server.json</c> names a live one; a
/// postgresql:// store takes no such lock, so any number of replicas serve one database
/// (<c>mltrack server --store postgresql://… --artifacts s3://… --http 0.0.0.0:PORT --allow-remote --token-file …</c>).
/// Ctrl+C or SIGTERM drains: the listener closes at once, requests in flight get <c>--drain-timeout</c> seconds
/// (default 10) to finish, then the process exits 0.
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
        var drain = new Option<string?>(DrainTimeoutName)
        {
            Description = $"Seconds a stop (Ctrl+C, SIGTERM) waits for requests in flight before cutting them off (default {TrackingServerOptions.DefaultDrainTimeout.TotalSeconds:0}); new connections are refused as soon as it begins.",
        };
        var auth = new Option<string>("--auth")
        {
            Description = "local: the store's one token (default); users: each request as a user with a personal access token (mltrack users add, mltrack tokens create), teams and roles deciding what it may see and change.",
            DefaultValueFactory = _ => "local",
        };
        auth.AcceptOnlyFromAmong("local", "users");
        var cmd = new Command("server", "Run the tracking server (MLflow-compatible REST API) for this store until Ctrl+C.");
        cmd.Options.Add(http);
        cmd.Options.Add(auth);
        cmd.Options.Add(allowRemote);
        cmd.Options.Add(drain);
        // On a thread of its own, so the action's task exists at once and Ctrl+C / SIGTERM wait for the clean stop below.
        cmd.SetAction((parse, cancel) => Task.Run(() =>
        {
            TimeSpan drainTimeout;
            try
            {
                drainTimeout = DrainTimeout(parse); // before the store opens: a typo costs no connection
            }
            catch (UsageException e)
            {
                return StoreSession.Report(e, output);
            }
            var mode = parse.GetValue(auth) == "users" ? AuthMode.Users : AuthMode.Local;
            return StoreSession.Run(parse, output, root => Serve(root, parse, output, http, allowRemote, drainTimeout, mode, cancel));
        }, CancellationToken.None));
        return cmd;
    }

    private static int Serve(Composition.MltrackRoot root, ParseResult parse, CliOutput output, Option<string?> http, Option<bool> allowRemote,
        TimeSpan drainTimeout, AuthMode mode, CancellationToken cancel)
    {
        var store = root.Store;
        BindAddress bind;
        try
        {
            bind = parse.GetValue(http) is { Length: > 0 } text ? BindAddress.Parse(text) : BindAddress.LoopbackAnyPort;
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
        var layout = root.Layout;
        if (layout.ServerFolder is { } serverFolder && TrackingServer.FindRunning(serverFolder) is { } running) return AlreadyRunning(output, running);
        TrackingServer server;
        try
        {
            server = TrackingServer.StartAsync(store, root.ServerOptions() with
            {
                Bind = bind,
                AllowRemote = parse.GetValue(allowRemote),
                DrainTimeout = drainTimeout,
                Log = output.Error,
                Auth = mode,
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
            output.Error.WriteLine(mode == AuthMode.Users
                ? $"mltrack: tracking server for {store.Location} at {server.BaseAddress}, users sign in with personal access tokens (mltrack tokens create --user EMAIL); Ctrl+C stops it"
                : $"mltrack: tracking server for {store.Location} at {server.BaseAddress} (token in {layout.TokenFile}); Ctrl+C stops it");
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
            output.Error.WriteLine($"mltrack: stopping: no new connections; requests in flight have {drainTimeout.TotalSeconds:0.###} s to finish");
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        output.Error.WriteLine("mltrack: tracking server stopped");
        return ExitCodes.Ok;
    }

    private const string DrainTimeoutName = "--drain-timeout";

    /// <summary>The longest drain anyone may ask for: a stop that waits longer is a hang.</summary>
    private static readonly TimeSpan MaxDrainTimeout = TimeSpan.FromHours(1);

    /// <summary><c>--drain-timeout</c> as given (seconds, 0 to one hour), else the default.</summary>
    /// <exception cref="UsageException">Not a number of seconds in that range, naming the value.</exception>
    public static TimeSpan DrainTimeout(ParseResult parse)
    {
        if (parse.CommandResult.Command.Name != "server" || parse.GetValue<string?>(DrainTimeoutName) is not { } text)
            return TrackingServerOptions.DefaultDrainTimeout;
        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || !double.IsFinite(seconds) || seconds < 0 || seconds > MaxDrainTimeout.TotalSeconds)
            throw new UsageException($"{DrainTimeoutName} '{text}' is not a number of seconds from 0 to {MaxDrainTimeout.TotalSeconds:0}.");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The answer when another server serves the store: its pid on stderr, its URL alone on stdout.</summary>
    private static int AlreadyRunning(CliOutput output, ServerInfo running)
    {
        output.Error.WriteLine($"error: a tracking server for this store is already running (pid {running.Pid}):");
        output.Out.WriteLine(running.Url.ToString().TrimEnd('/'));
        return ExitCodes.Error;
    }
}
