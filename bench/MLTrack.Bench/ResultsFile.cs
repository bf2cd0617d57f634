using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MLTrack.Bench;

/// <summary>
/// Keeps bench/results.json (the latest figure of every benchmark, whichever suite ran last) and regenerates
/// bench/README.md from it with the date and the machine.
/// </summary>
public static class ResultsFile
{
    public static string ReadmePath(BenchContext c) => Path.Combine(c.RepoRoot, "bench", "README.md");
    private static string JsonPath(BenchContext c) => Path.Combine(c.RepoRoot, "bench", "results.json");

    /// <summary>
    /// Figures measured by the Node benchmarks in Chromium and code-server (bench/browser/run.js, bench/vscode/run.sh),
    /// from the results files they write, so one table holds every benchmark.
    /// </summary>
    private static IEnumerable<BenchResult> NodeSuites(BenchContext c)
    {
        var browser = Path.Combine(c.RepoRoot, "bench", "browser", "results.json");
        if (File.Exists(browser))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(browser));
            var note = doc.RootElement.TryGetProperty("at", out var at) ? $"measured {at.GetString()}" : null;
            foreach (var row in doc.RootElement.GetProperty("table").EnumerateArray())
            {
                var met = row.GetProperty("met");
                yield return new BenchResult("browser (Chromium, `node bench/browser/run.js`)", row.GetProperty("benchmark").GetString()!,
                    row.GetProperty("result").GetString()!, row.GetProperty("target").GetString()!, met.ValueKind != JsonValueKind.False, note);
                note = null;
            }
        }
        var vscode = Path.Combine(c.RepoRoot, "bench", "vscode", "results.json");
        if (File.Exists(vscode))
        {
            foreach (var r in JsonSerializer.Deserialize<List<BenchResult>>(File.ReadAllText(vscode)) ?? [])
                yield return r with { Suite = "vscode (code-server, `bench/vscode/run.sh`)" };
        }
    }

    public static void Update(BenchContext c, IReadOnlyList<BenchResult> fresh)
    {
        var all = File.Exists(JsonPath(c))
            ? JsonSerializer.Deserialize<List<BenchResult>>(File.ReadAllText(JsonPath(c))) ?? []
            : [];
        var ran = fresh.Select(r => r.Suite).ToHashSet();
        all.RemoveAll(r => ran.Contains(r.Suite));
        all.AddRange(fresh);
        File.WriteAllText(JsonPath(c), JsonSerializer.Serialize(all, new JsonSerializerOptions { WriteIndented = true }));

        var md = new StringBuilder();
        md.AppendLine("# Benchmarks");
        md.AppendLine();
        md.AppendLine("Run with `./mltrack bench [suite...]` (Release build); it rewrites this file. Figures are medians unless named otherwise.");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Last run: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Machine.Describe()}.");
        md.AppendLine();
        foreach (var suite in all.Concat(NodeSuites(c)).GroupBy(r => r.Suite))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## {suite.Key}");
            md.AppendLine();
            md.AppendLine("| benchmark | result | target | met |");
            md.AppendLine("|---|---|---|---|");
            foreach (var r in suite)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Display} | {r.Target} | {(r.Met ? "yes" : "**no**")}{(r.Note is null ? "" : " — " + r.Note)} |");
            md.AppendLine();
        }
        File.WriteAllText(ReadmePath(c), md.ToString());
    }
}
