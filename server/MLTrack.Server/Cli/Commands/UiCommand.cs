using System.CommandLine;
using System.Diagnostics;
using MLTrack.Server.Ui;

namespace MLTrack.Server.Cli.Commands;

/// <summary>
/// <c>mltrack ui [--open] [--port N] [--webviews DIR]</c>: serves the panels (runs table, charts, compare, run, lineage,
/// search) as web pages, with the tracking REST API and <c>/rpc</c>, on 127.0.0.1 until Ctrl+C. Prints the runs page's
/// sign-in URL (a one-time code, never the token) as the first line of standard output; <c>--open</c> hands the same
/// URL to <c>$MLTRACK_BROWSER</c> (a program, run with the URL as its one argument) or the platform's opener.
/// </summary>
public static class UiCommand
{
    /// <summary>Names the program that opens the URL (e.g. a browser, or a test's recorder) instead of xdg-open/open.</summary>
    public const string BrowserVariable = "MLTRACK_BROWSER";

    public static Command Create(CliOutput output)
    {
        var open = new Option<bool>("--open") { Description = "Open the runs page in the default browser." };
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (default: a free one).", DefaultValueFactory = _ => 0 };
        var webviews = new Option<string?>("--webviews")
        {
            Description = "Folder with the built panels (shell.html and dist/); default: the webviews/ folder beside mltrack.",
        };
        var cmd = new Command("ui", "Serve the MLTrack panels in a browser (http://127.0.0.1:PORT/ui/runs?code=…, a one-time sign-in link) until Ctrl+C.");
        cmd.Options.Add(open);
        cmd.Options.Add(port);
        cmd.Options.Add(webviews);
        cmd.SetAction((parse, cancel) => Task.Run(() => StoreSession.Run(parse, output, store =>
        {
            var p = parse.GetValue(port);
            if (p is < 0 or > 65535) throw new UsageException($"--port must be 0..65535 (got {p}).");
            using var artifacts = GlobalOptions.OpenArtifacts(parse, store);
            UiServer server;
            try
            {
                server = UiServer.StartAsync(store, new UiServerOptions
                {
                    Port = p,
                    WebviewsDirectory = parse.GetValue(webviews),
                    Log = output.Error,
                    Artifacts = artifacts,
                    Rpc = new Rpc.RpcOptions { ArtifactsUri = GlobalOptions.ArtifactsUri(parse) },
                }, cancel).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                output.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Error;
            }
            try
            {
                var url = server.SignInUrl("runs").ToString();
                output.Out.WriteLine(url);
                output.Out.Flush();
                output.Error.WriteLine($"mltrack: panels for {store.Location} at {server.BaseAddress}ui/ (the URL above signs one browser in, once, within {(int)UiSessions.CodeLifetime.TotalMinutes} minutes); Ctrl+C stops it");
                if (!File.Exists(Path.Combine(server.WebviewsDirectory, UiShell.FileName)))
                    output.Error.WriteLine($"warning: no panels in {server.WebviewsDirectory} (build webviews/ and rebuild mltrack, or pass --webviews DIR)");
                if (parse.GetValue(open)) OpenBrowser(url, output.Error);
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
            output.Error.WriteLine("mltrack: ui stopped");
            return ExitCodes.Ok;
        }), CancellationToken.None));
        return cmd;
    }

    private static void OpenBrowser(string url, TextWriter log)
    {
        try
        {
            var browser = Environment.GetEnvironmentVariable(BrowserVariable);
            var psi = !string.IsNullOrWhiteSpace(browser) ? new ProcessStartInfo(browser, [url])
                : OperatingSystem.IsWindows() ? new ProcessStartInfo(url) { UseShellExecute = true }
                : OperatingSystem.IsMacOS() ? new ProcessStartInfo("open", [url])
                : new ProcessStartInfo("xdg-open", [url]);
            psi.RedirectStandardOutput = !psi.UseShellExecute;
            psi.RedirectStandardError = !psi.UseShellExecute;
            using var p = Process.Start(psi);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            log.WriteLine($"mltrack: could not open a browser ({e.Message}); open the URL above yourself.");
        }
    }
}
