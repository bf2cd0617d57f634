using System.Diagnostics;
using System.Globalization;

namespace MLTrack.Core.Launch;

/// <summary>
/// Reads GPU load through the <c>nvidia-smi</c> command, when it is installed. Looked up on PATH once per process:
/// machines without NVIDIA drivers pay nothing after the first probe.
/// </summary>
internal static class NvidiaSmi
{
    private static readonly Lazy<string?> s_path = new(() => FindOnPath("nvidia-smi"));

    public static string? InstalledPath => s_path.Value;

    /// <summary>Readings from the tool at <paramref name="path"/>; null when it fails or times out.</summary>
    public static async Task<IReadOnlyList<GpuReading>?> QueryAsync(string path, CancellationToken cancel)
    {
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--query-gpu=utilization.gpu,memory.used", "--format=csv,noheader,nounits" }) psi.ArgumentList.Add(a);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        Process? p = null;
        try
        {
            p = Process.Start(psi);
            if (p is null) return null;
            p.StandardInput.Close();
            var stderr = p.StandardError.ReadToEndAsync(timeout.Token);
            var output = await p.StandardOutput.ReadToEndAsync(timeout.Token).ConfigureAwait(false);
            await stderr.ConfigureAwait(false);
            await p.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return p.ExitCode == 0 ? Parse(output) : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException or OperationCanceledException)
        {
            try { if (p is { HasExited: false }) p.Kill(); } catch (InvalidOperationException) { }
            cancel.ThrowIfCancellationRequested();
            return null;
        }
        finally
        {
            p?.Dispose();
        }
    }

    /// <summary>Parses <c>--format=csv,noheader,nounits</c> output: one "util, memory" line per GPU, in index order.</summary>
    internal static IReadOnlyList<GpuReading> Parse(string output)
    {
        var list = new List<GpuReading>();
        var index = 0;
        foreach (var raw in output.Split('\n'))
        {
            var cells = raw.Split(',', StringSplitOptions.TrimEntries);
            if (cells.Length < 2) continue;
            var gpu = index++;
            // "[N/A]" or "[Not Supported]" cells are left out rather than guessed.
            var util = double.TryParse(cells[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var u) ? u : double.NaN;
            var mem = double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var m) ? m : double.NaN;
            if (double.IsNaN(util) && double.IsNaN(mem)) continue;
            list.Add(new GpuReading(gpu, util, mem));
        }
        return list;
    }

    internal static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(path)) return null;
        var names = OperatingSystem.IsWindows() ? new[] { name + ".exe", name } : [name];
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var n in names)
            {
                var candidate = Path.Combine(dir, n);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }
}
