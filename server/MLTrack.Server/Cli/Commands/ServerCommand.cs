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
        var smtp = new Option<string?>(SmtpName)
        {
            Description = "Users mode: send email sign-in links through this SMTP server, as HOST:PORT (plain SMTP only to loopback; otherwise TLS). Needs --mail-from.",
        };
        var mailFrom = new Option<string?>(MailFromName) { Description = "The sender address of sign-in emails (with --smtp)." };
        var publicUrl = new Option<string?>(PublicUrlName)
        {
            Description = "Where people reach this server (e.g. https://mltrack.example.com/): the base of mailed sign-in links and the origin of its pages (default: the address it listens on).",
        };
        var cmd = new Command("server", "Run the tracking server (MLflow-compatible REST API) for this store until Ctrl+C.");
        cmd.Options.Add(http);
        cmd.Options.Add(auth);
        cmd.Options.Add(allowRemote);
        cmd.Options.Add(drain);
        cmd.Options.Add(smtp);
        cmd.Options.Add(mailFrom);
        cmd.Options.Add(publicUrl);
        // On a thread of its own, so the action's task exists at once and Ctrl+C / SIGTERM wait for the clean stop below.
        cmd.SetAction((parse, cancel) => Task.Run(() =>
        {
            TimeSpan drainTimeout;
            SignInSettings signIn;
            var mode = parse.GetValue(auth) == "users" ? AuthMode.Users : AuthMode.Local;
            try
            {
                drainTimeout = DrainTimeout(parse); // before the store opens: a typo costs no connection
                signIn = SignIn(parse.GetValue(smtp), parse.GetValue(mailFrom), parse.GetValue(publicUrl), mode);
            }
            catch (UsageException e)
            {
                return StoreSession.Report(e, output);
            }
            return StoreSession.Run(parse, output, root => Serve(root, parse, output, http, allowRemote, drainTimeout, mode, signIn, cancel));
        }, CancellationToken.None));
        return cmd;
    }

    private static int Serve(Composition.MltrackRoot root, ParseResult parse, CliOutput output, Option<string?> http, Option<bool> allowRemote,
        TimeSpan drainTimeout, AuthMode mode, SignInSettings signIn, CancellationToken cancel)
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
                SignInMailer = signIn.Mailer,
                PublicUrl = signIn.PublicUrl,
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
    private const string SmtpName = "--smtp";
    private const string MailFromName = "--mail-from";
    private const string PublicUrlName = "--public-url";

    private sealed record SignInSettings(MLTrack.Core.Accounts.ISignInMailer? Mailer, Uri? PublicUrl);

    /// <summary><c>--smtp</c>, <c>--mail-from</c> and <c>--public-url</c>, checked together.</summary>
    /// <exception cref="UsageException">A malformed value, or one without what it needs, naming it.</exception>
    private static SignInSettings SignIn(string? smtp, string? mailFrom, string? publicUrl, AuthMode mode)
    {
        Uri? url = null;
        if (publicUrl is not null && (!Uri.TryCreate(publicUrl, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https") || url.Query.Length > 0))
            throw new UsageException($"{PublicUrlName} '{publicUrl}' is not an http:// or https:// URL without a query.");
        if (url is not null && !url.AbsolutePath.EndsWith('/')) url = new Uri(url + "/"); // links resolve below it, not beside it
        if (smtp is null)
        {
            if (mailFrom is not null) throw new UsageException($"{MailFromName} needs {SmtpName} HOST:PORT.");
            return new SignInSettings(null, url);
        }
        if (mode != AuthMode.Users) throw new UsageException($"{SmtpName} is for email sign-in, which needs --auth users.");
        if (mailFrom is null) throw new UsageException($"{SmtpName} needs {MailFromName} ADDRESS (the sender of sign-in emails).");
        var colon = smtp.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(smtp[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port))
            throw new UsageException($"{SmtpName} '{smtp}' is not HOST:PORT.");
        try
        {
            return new SignInSettings(new Mail.SmtpSignInMailer(smtp[..colon], port, mailFrom), url);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{SmtpName} {smtp} {MailFromName} {mailFrom}: {e.Message.Split(" (Parameter")[0]}");
        }
    }

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
