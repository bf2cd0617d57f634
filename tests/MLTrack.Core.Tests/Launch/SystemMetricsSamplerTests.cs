using System.Collections.Concurrent;
using MLTrack.Core.Launch;
using MLTrack.Core.Metrics;

namespace MLTrack.Core.Tests.Launch;

public class SystemMetricsSamplerTests
{
    [Fact]
    public async Task Samples_cpu_and_memory_of_the_tree_at_the_interval()
    {
        using var child = ChildProcess.Start("python3", "-c", "import time\nt=time.time()\nwhile time.time()-t<30: pass");
        var points = new ConcurrentQueue<MetricPoint>();
        await using (var sampler = new SystemMetricsSampler(child.Pid, batch => { foreach (var p in batch) points.Enqueue(p); }, TimeSpan.FromMilliseconds(200)))
        {
            sampler.Start();
            // A loaded machine may give the busy loop little CPU for a while: wait for a sample that shows it busy.
            Assert.True(ChildProcess.WaitUntil(() => points.Count(p => p.Key == SystemMetricsSampler.CpuPercentKey) >= 3
                && points.Any(p => p.Key == SystemMetricsSampler.CpuPercentKey && p.Value > 20), TimeSpan.FromSeconds(20)));
        }
        var cpu = points.Where(p => p.Key == SystemMetricsSampler.CpuPercentKey).ToList();
        var memory = points.Where(p => p.Key == SystemMetricsSampler.MemoryRssMbKey).ToList();
        Assert.Equal([1L, 2L, 3L], cpu.Take(3).Select(p => p.Step));
        Assert.Contains(cpu, p => p.Value > 20); // a busy loop uses a good share of a core
        Assert.All(memory, p => Assert.True(p.Value > 1));
    }

    [Fact]
    public async Task Nothing_is_sampled_once_the_process_is_gone()
    {
        using var child = ChildProcess.Start("true");
        child.Process.WaitForExit();
        var points = new ConcurrentQueue<MetricPoint>();
        await using (var sampler = new SystemMetricsSampler(child.Pid, batch => { foreach (var p in batch) points.Enqueue(p); }, TimeSpan.FromMilliseconds(50)))
        {
            sampler.Start();
            await Task.Delay(300);
        }
        Assert.Empty(points);
    }

    [Fact]
    public async Task One_gpu_is_logged_under_plain_keys()
    {
        using var child = ChildProcess.Start("sleep", "1000");
        var sampler = new SystemMetricsSampler(child.Pid, _ => { }, TimeSpan.FromSeconds(1),
            _ => Task.FromResult<IReadOnlyList<GpuReading>?>([new GpuReading(0, 87, 1234)]));
        var points = (await sampler.SampleAsync(CancellationToken.None)).ToDictionary(p => p.Key);
        Assert.Equal(87, points["system/gpu_utilization_percent"].Value);
        Assert.Equal(1234, points["system/gpu_memory_mb"].Value);
    }

    [Fact]
    public async Task Several_gpus_are_logged_with_an_index_suffix()
    {
        using var child = ChildProcess.Start("sleep", "1000");
        var sampler = new SystemMetricsSampler(child.Pid, _ => { }, TimeSpan.FromSeconds(1),
            _ => Task.FromResult<IReadOnlyList<GpuReading>?>([new GpuReading(0, 10, 100), new GpuReading(1, 20, 200)]));
        var points = (await sampler.SampleAsync(CancellationToken.None)).ToDictionary(p => p.Key);
        Assert.Equal(10, points["system/gpu_utilization_percent_0"].Value);
        Assert.Equal(200, points["system/gpu_memory_mb_1"].Value);
        Assert.False(points.ContainsKey("system/gpu_utilization_percent"));
    }

    [Fact]
    public async Task A_failing_gpu_query_is_not_retried()
    {
        using var child = ChildProcess.Start("sleep", "1000");
        var calls = 0;
        var sampler = new SystemMetricsSampler(child.Pid, _ => { }, TimeSpan.FromSeconds(1),
            _ => { calls++; return Task.FromResult<IReadOnlyList<GpuReading>?>(null); });
        await sampler.SampleAsync(CancellationToken.None);
        var second = await sampler.SampleAsync(CancellationToken.None);
        Assert.Equal(1, calls);
        Assert.Contains(second, p => p.Key == SystemMetricsSampler.MemoryRssMbKey);
    }

    [Fact]
    public void Nvidia_smi_csv_is_parsed_per_gpu_and_unsupported_cells_are_skipped()
    {
        var readings = NvidiaSmi.Parse("45, 1234\n[N/A], 512\n\n");
        Assert.Equal([new GpuReading(0, 45, 1234)], readings.Take(1));
        Assert.Equal(1, readings[1].Index);
        Assert.True(double.IsNaN(readings[1].UtilizationPercent));
        Assert.Equal(512, readings[1].MemoryUsedMb);
    }
}
