using MLTrack.Core.Deploy;
using MLTrack.Core.Reports;
using MLTrack.Core.Runs;

namespace MLTrack.Core.Tests.Reports;

public sealed class CostReportTests : IDisposable
{
    private readonly ReportFixture _f = new();

    public void Dispose() => _f.Dispose();

    private ReportRequest Priced() => _f.January(ReportType.Cost) with { CpuHourUsd = 0.5, GpuHourUsd = 3 };

    [Fact]
    public void Compute_gpu_llm_and_deployments_are_priced_and_totalled()
    {
        var e = _f.Experiment("train");
        // 2 h CPU-only run, 1 h GPU run: 3 compute hours × 0.5 + 1 GPU hour × 3
        var cpuOnly = _f.Run(e, ReportFixture.Jan1.AddDays(1), minutes: 120);
        var gpu = _f.Run(e, ReportFixture.Jan1.AddDays(2), minutes: 60, metrics: Metric.Of(("system/gpu_utilization_percent", [80, 90])));
        // two LLM calls: 300 + 100 tokens, 0.25 USD in all
        _f.Run(e, ReportFixture.Jan1.AddDays(3), RunStatus.RUNNING,
            metrics: Metric.Of(("llm/prompt_tokens", [100, 200]), ("llm/completion_tokens", [40, 60]), ("llm/cost_usd", [0.1, 0.15])));
        // 10 serving hours in January with 2 CPUs and an A10G: 10 × (2 × 0.5 + 3) = 40
        _f.Store.SaveDeployment(new DeploymentRecord
        {
            DeploymentId = "d1",
            RunId = gpu.RunId,
            Target = "modal",
            Name = "api",
            Status = DeploymentStatus.STOPPED,
            CreatedAt = ReportFixture.Jan1.AddDays(5).ToUnixTimeMilliseconds(),
            UpdatedAt = ReportFixture.Jan1.AddDays(5).AddHours(10).ToUnixTimeMilliseconds(),
            Settings = new DeploymentSettings { Cpu = 2, Gpu = "A10G" },
        });
        var md = _f.Generate(Priced()).Markdown;
        Assert.Contains("| Compute (CPU) | 3.0 h | \\$1.50 |", md);
        Assert.Contains("| GPU | 1.0 h in 1 run | \\$3.00 |", md);
        Assert.Contains("| LLM tokens | 400 tokens in 2 calls | \\$0.25 |", md);
        Assert.Contains("| Deployments | 10.0 h serving in 1 deployment | \\$40.00 |", md);
        Assert.Contains("| **Total (estimate)** |  | **\\$44.75** |", md);
        Assert.Contains("| api `d1` | modal | STOPPED | 10.0 h | 2 | 1 | \\$4.00 | \\$40.00 |", md);
        Assert.Contains("| 1 | 2 | 300 | 100 | \\$0.25 |", md);
        Assert.DoesNotContain(cpuOnly.RunId, md);
    }

    [Fact]
    public void Missing_llm_gpu_and_deployment_data_is_named_not_priced_at_zero()
    {
        var e = _f.Experiment("train");
        _f.Run(e, ReportFixture.Jan1.AddDays(1), minutes: 60);
        var md = _f.Generate(Priced()).Markdown;
        Assert.Contains("| GPU | no GPU metrics captured | — |", md);
        Assert.Contains("No LLM usage captured in this range", md);
        Assert.Contains("No deployments served in this range.", md);
        Assert.DoesNotContain("$0.00", md);
    }

    [Fact]
    public void Llm_costs_without_token_counts_say_the_tokens_were_not_captured()
    {
        var e = _f.Experiment("agent");
        _f.Run(e, ReportFixture.Jan1.AddDays(1), metrics: Metric.Of(("llm/cost_usd", [0.5, 0.25])));
        var md = _f.Generate(Priced()).Markdown;
        Assert.Contains("| LLM tokens | 2 calls (token counts not captured) | \\$0.75 |", md);
        Assert.Contains("| 1 | 2 | not captured | not captured | \\$0.75 |", md);
    }

    [Fact]
    public void A_range_without_any_cost_data_says_so_instead_of_printing_zeros()
    {
        _f.Experiment("train");
        var md = _f.Generate(Priced()).Markdown;
        Assert.Contains("there is no cost data for this range", md);
        Assert.Contains("| **Total (estimate)** | no cost data in this range | — |", md);
        Assert.DoesNotContain("$0.00", md);
    }

    [Fact]
    public void Default_prices_come_from_the_users_preferences()
    {
        var e = _f.Experiment("train");
        _f.Run(e, ReportFixture.Jan1.AddDays(1), minutes: 60);
        new Core.Preferences.PreferencesService(_f.Store).Set("pat", new System.Text.Json.Nodes.JsonObject { ["cpuHourUsd"] = 0.2 });
        var md = _f.Generate(_f.January(ReportType.Cost) with { User = "pat" }).Markdown;
        Assert.Contains("\\$0.20 per CPU hour (preferences), \\$1.10 per GPU hour (preferences)", md);
        Assert.Contains("| Compute (CPU) | 1.0 h | \\$0.20 |", md);
    }

    [Fact]
    public void Only_the_part_of_a_deployment_inside_the_range_is_charged()
    {
        var e = _f.Experiment("train");
        var run = _f.Run(e, ReportFixture.Jan1.AddDays(1));
        // from 2 h before the end of January to 5 h after: 2 h in range
        _f.Store.SaveDeployment(new DeploymentRecord
        {
            DeploymentId = "d2",
            RunId = run.RunId,
            Target = "local",
            Name = "edge",
            Status = DeploymentStatus.STOPPED,
            CreatedAt = ReportFixture.Feb1.AddHours(-2).ToUnixTimeMilliseconds(),
            UpdatedAt = ReportFixture.Feb1.AddHours(5).ToUnixTimeMilliseconds(),
            Settings = new DeploymentSettings(),
        });
        var md = _f.Generate(Priced()).Markdown;
        Assert.Contains("| edge `d2` | local | STOPPED | 2.0 h | 1 | 0 | \\$0.50 | \\$1.00 |", md);
    }
}
