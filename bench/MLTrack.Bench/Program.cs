using MLTrack.Bench;

// Usage: ./mltrack bench [suite...]   (suites: store, tracking, deploy, rpc, analytics, reports, launch, team; default all). Results go to bench/README.md.
var suites = new Dictionary<string, Func<BenchContext, IEnumerable<BenchResult>>>
{
    ["store"] = StoreBench.Run,
    ["tracking"] = TrackingBench.Run,
    ["deploy"] = DeployBench.Run,
    ["rpc"] = RpcBench.Run,
    ["analytics"] = AnalyticsBench.Run,
    ["reports"] = ReportBench.Run,
    ["launch"] = LaunchBench.Run,
    ["team"] = TeamBench.Run,
};
// `report`: rewrite bench/README.md from the stored results (e.g. after the Node benchmarks ran) without measuring.
var reportOnly = args is ["report"];
var chosen = reportOnly ? [] : args.Length == 0 ? suites.Keys.ToList() : args.ToList();
foreach (var name in chosen.Where(n => !suites.ContainsKey(n)))
{
    Console.Error.WriteLine($"unknown suite '{name}'; known: {string.Join(", ", suites.Keys)}");
    return 2;
}
var context = BenchContext.Create();
var results = new List<BenchResult>();
foreach (var name in chosen)
{
    Console.WriteLine($"== {name} ==");
    foreach (var r in suites[name](context))
    {
        Console.WriteLine($"  {r.Name,-58} {r.Display,14}   target {r.Target,-14} {(r.Met ? "ok" : "MISSED")}");
        results.Add(r);
    }
}
ResultsFile.Update(context, results);
Console.WriteLine($"Wrote {ResultsFile.ReadmePath(context)}");
return 0;
