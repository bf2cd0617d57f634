using MLTrack.Core.Deploy;

namespace MLTrack.Core.Tests.Deploy;

public sealed class DeploymentConfigTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        var config = new DeploymentConfig { AppName = "my-model", ModelName = "Random Forest", ModelVersion = "1.0.0" };
        Assert.Empty(config.Validate());
        Assert.Equal(1.0, config.Cpu);
        Assert.Equal(512, config.MemoryMb);
    }

    [Fact]
    public void Every_problem_is_named()
    {
        var config = new DeploymentConfig
        {
            AppName = "My_Model",
            Cpu = 0,
            MemoryMb = 64,
            Gpu = "RTX9000",
            MinContainers = -1,
            TimeoutSeconds = 0,
            EnvironmentVariables = new Dictionary<string, string> { ["1BAD"] = "x", ["MODAL_TOKEN_SECRET"] = "s" },
            ModelUrl = "ftp://host/model",
        };

        var problems = config.Validate();

        Assert.Equal(9, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("App name 'My_Model'"));
        Assert.Contains(problems, p => p.StartsWith("CPU must be between 0.125 and 64"));
        Assert.Contains(problems, p => p.StartsWith("Memory must be between 128"));
        Assert.Contains(problems, p => p.StartsWith("GPU 'RTX9000' is not one of"));
        Assert.Contains(problems, p => p.StartsWith("Min containers"));
        Assert.Contains(problems, p => p.StartsWith("Timeout"));
        Assert.Contains(problems, p => p.Contains("'1BAD'"));
        Assert.Contains(problems, p => p.Contains("'MODAL_TOKEN_SECRET' is a credential"));
        Assert.Contains(problems, p => p.StartsWith("Model URL"));
        var e = Assert.Throws<DeploymentException>(config.EnsureValid);
        Assert.Contains("GPU 'RTX9000'", e.Message);
    }

    [Theory]
    [InlineData("T4")]
    [InlineData("a10g")]
    [InlineData("H100:2")]
    [InlineData(null)]
    public void Known_gpus_are_accepted(string? gpu) =>
        Assert.Empty(new DeploymentConfig { AppName = "m", Gpu = gpu }.Validate());
}
