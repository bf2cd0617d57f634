using System.Diagnostics;
using System.Net;
using MLTrack.Server.Cli.Commands;

namespace MLTrack.Server.Tests.Cli;

/// <summary><c>mltrack ui --open</c>: what reaches the opener's command line (world-readable in /proc/PID/cmdline).</summary>
public sealed class UiCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the recorder is a shell script
    public async Task The_opener_gets_a_one_time_code_and_never_the_token()
    {
        var argvFile = Path.Combine(_cli.Dir, "argv.txt");
        var recorder = Path.Combine(_cli.Dir, "record-argv.sh");
        // one argument a line; written to a temporary file and renamed, so the test never reads half of it
        File.WriteAllText(recorder, $"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{argvFile}.tmp' && mv '{argvFile}.tmp' '{argvFile}'\n");
        File.SetUnixFileMode(recorder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        using var process = _cli.Start(new Dictionary<string, string> { [UiCommand.BrowserVariable] = recorder },
            "ui", "--open", "--port", "0", "--webviews", Path.Combine(_cli.Dir, "no-panels"));
        try
        {
            var printed = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!File.Exists(argvFile) && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.True(File.Exists(argvFile), "the opener was not run; stderr: " + await ReadSomeAsync(process.StandardError));

            var argv = File.ReadAllLines(argvFile);
            var token = File.ReadAllText(Path.Combine(_cli.Dir, ".mltrack", "token")).Trim();
            var url = Assert.Single(argv);
            Assert.Equal(printed, url);
            Assert.Matches(@"^http://127\.0\.0\.1:\d+/ui/runs\?code=[A-Za-z0-9_-]{20,}$", url);
            Assert.DoesNotContain(token, url);

            // the code is real: it signs a browser in
            using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
            using var signedIn = await browser.GetAsync(url);
            Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<string> ReadSomeAsync(StreamReader reader)
    {
        var buffer = new char[4000];
        var task = reader.ReadAsync(buffer, 0, buffer.Length);
        return await Task.WhenAny(task, Task.Delay(1000)) == task ? new string(buffer, 0, task.Result) : "";
    }
}
