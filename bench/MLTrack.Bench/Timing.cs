using System.Diagnostics;

namespace MLTrack.Bench;

public static class Timing
{
    /// <summary>Median wall time in milliseconds of <paramref name="runs"/> runs after <paramref name="warmup"/> unmeasured ones.</summary>
    public static double MedianMs(Action action, int runs = 9, int warmup = 2)
    {
        for (int i = 0; i < warmup; i++) action();
        var times = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[runs / 2];
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
