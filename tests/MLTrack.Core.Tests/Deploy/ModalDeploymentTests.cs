using System.Text.Json.Nodes;
using MLTrack.Core.Deploy;

namespace MLTrack.Core.Tests.Deploy;

/// <summary>The Modal path up to the command line: the generated app file is compiled by python3, and <c>modal</c> is
/// the stand-in in tests/fixtures/modal-standin (Modal's cloud is unreachable here), which records its arguments and
/// environment and prints what the real CLI prints.</summary>
[Collection(SklearnModelCollection.Name)]
public sealed class ModalDeploymentTests(SklearnModelFixture fixture) : IDisposable
{
    private const string TokenId = "ak-standinTokenId0123456789";
    private const string TokenSecret = "as-standinTokenSecretABCDEFGHIJ";
    private const string PresignedUrl = "https://models.s3.example.com/iris/model.joblib?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE&X-Amz-Signature=d3adb33fc0ffee";

    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-modal-").FullName;
    private string RecordFile => Path.Combine(_dir, "calls.jsonl");
    private static string StandInScript => TestPython.ModalStandIn;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private DeploymentConfig Config(string mode = "ok", string? modal = null) => new()
    {
        AppName = "iris-model",
        ModelName = "Iris classifier",
        ModelVersion = "1.0.0",
        Cpu = 2.0,
        MemoryMb = 1024,
        Gpu = "T4",
        MinContainers = 1,
        TimeoutSeconds = 120,
        EnvironmentVariables = new Dictionary<string, string> { ["LOG_LEVEL"] = "info" },
        ModelUrl = PresignedUrl,
        ModalExecutable = modal ?? StandIn(mode),
    };

    /// <summary>A wrapper script per mode: the stand-in with its record file and mode in the environment.</summary>
    private string StandIn(string mode)
    {
        var wrapper = Path.Combine(_dir, "modal-" + mode);
        File.WriteAllText(wrapper, $"#!/bin/sh\nMODAL_STANDIN_RECORD='{RecordFile}' MODAL_STANDIN_MODE='{mode}' exec '{TestPython.Executable}' '{StandInScript}' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return wrapper;
    }

    private List<JsonNode> Calls() =>
        File.Exists(RecordFile) ? File.ReadAllLines(RecordFile).Select(l => JsonNode.Parse(l)!).ToList() : [];

    private ModalDeployment NewDeployment(DeploymentConfig config, ModalCredentials? credentials = null,
        Func<ModelInfo, CancellationToken, Task<string>>? upload = null) =>
        new(fixture.Model, config, Path.Combine(_dir, "app"), credentials ?? new ModalCredentials(TokenId, TokenSecret), upload);

    [Fact]
    public async Task The_app_file_compiles_pins_the_framework_carries_the_settings_and_no_secret()
    {
        var path = ModalAppGenerator.Generate(fixture.Model, Config(), Path.Combine(_dir, "gen"));

        var (ok, error) = await TestPython.CompileAsync(path);
        Assert.True(ok, error);
        Assert.True((await TestPython.CompileAsync(Path.Combine(_dir, "gen", "predictor.py"))).Ok);
        var text = File.ReadAllText(path);
        Assert.Contains("app = modal.App(APP_NAME)", text);
        Assert.Contains("APP_NAME = \"iris-model\"", text);
        Assert.Contains($"\"scikit-learn=={fixture.SklearnVersion}\"", text);
        Assert.Contains("cpu=2.0,", text);
        Assert.Contains("memory=1024,", text);
        Assert.Contains("gpu=\"T4\",", text);
        Assert.Contains("min_containers=1,", text);
        Assert.Contains("timeout=120,", text);
        Assert.Contains("\"LOG_LEVEL\": \"info\"", text);
        Assert.Contains("@modal.asgi_app(", text);
        Assert.DoesNotContain(TokenId, text);
        Assert.DoesNotContain(TokenSecret, text);
        Assert.DoesNotContain("X-Amz-Signature", text);
        Assert.DoesNotContain("models.s3.example.com", text);
    }

    [Fact]
    public async Task A_volume_source_reads_the_model_from_the_volume()
    {
        var config = Config() with { ModelUrl = null, ModalVolume = "models", ModalVolumePath = "iris/model.joblib", Gpu = null };
        var path = ModalAppGenerator.Generate(fixture.Model, config, Path.Combine(_dir, "vol"));
        Assert.True((await TestPython.CompileAsync(path)).Ok);
        var text = File.ReadAllText(path);
        Assert.Contains("VOLUME_NAME = \"models\"", text);
        Assert.Contains("VOLUME_PATH = \"iris/model.joblib\"", text);
        Assert.Contains("gpu=None,", text);
        Assert.DoesNotContain("\"MLTRACK_MODEL_URL\": MODEL_URL", text);
    }

    [Fact]
    public async Task Deploying_goes_through_every_status_parses_the_url_passes_the_token_only_in_the_environment_and_stops_once()
    {
        await using var deployment = NewDeployment(Config());
        var seen = new List<DeploymentStatusChange>();
        deployment.StatusChanged += seen.Add;

        await deployment.StartAsync();

        Assert.True(deployment.Status == DeploymentStatus.READY, deployment.Message);
        Assert.Equal([DeploymentStatus.UPLOADING, DeploymentStatus.BUILDING, DeploymentStatus.DEPLOYING, DeploymentStatus.READY], seen.Select(s => s.Status));
        Assert.Equal(DeploymentStatus.PENDING, deployment.History[0].Status);
        Assert.Equal("https://mltrack-tests--iris-model.modal.run", deployment.EndpointUrl);
        Assert.Equal(deployment.EndpointUrl, seen[^1].EndpointUrl);

        var deploy = Assert.Single(Calls());
        Assert.Equal(["deploy", "modal_app.py"], deploy["argv"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(Path.Combine(_dir, "app"), deploy["cwd"]!.GetValue<string>());
        Assert.Equal(TokenId, deploy["env"]!["MODAL_TOKEN_ID"]!.GetValue<string>());
        Assert.Equal(TokenSecret, deploy["env"]!["MODAL_TOKEN_SECRET"]!.GetValue<string>());
        Assert.Equal(PresignedUrl, deploy["env"]!["MLTRACK_MODEL_URL"]!.GetValue<string>());

        var everything = string.Join("\n", deployment.Logs) + string.Join("\n", deployment.History.Select(h => h.Message))
                         + string.Join("\n", Directory.GetFiles(Path.Combine(_dir, "app")).Select(File.ReadAllText));
        Assert.Contains("Built image", everything);
        Assert.DoesNotContain(TokenId, everything);
        Assert.DoesNotContain(TokenSecret, everything);
        Assert.DoesNotContain("d3adb33fc0ffee", everything);

        await deployment.StopAsync();
        await deployment.StopAsync();

        Assert.Equal(DeploymentStatus.STOPPED, deployment.Status);
        var calls = Calls();
        Assert.Equal(2, calls.Count);
        Assert.Equal(["app", "stop", "iris-model"], calls[1]["argv"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(DeploymentStatus.STOPPED, seen[^1].Status);
    }

    [Fact]
    public async Task Not_logged_in_fails_with_modals_message_and_how_to_fix_it()
    {
        await using var deployment = NewDeployment(Config("auth-error"));
        var seen = new List<DeploymentStatus>();
        deployment.StatusChanged += c => seen.Add(c.Status);

        await deployment.StartAsync();

        Assert.Equal([DeploymentStatus.UPLOADING, DeploymentStatus.BUILDING, DeploymentStatus.FAILED], seen);
        Assert.StartsWith("Token missing. Could not authenticate client.", deployment.Message);
        Assert.Contains("modal token new", deployment.Message);
        Assert.DoesNotContain("│", deployment.Message);
        Assert.Null(deployment.EndpointUrl);
    }

    [Fact]
    public async Task A_failed_image_build_carries_the_tools_error()
    {
        await using var deployment = NewDeployment(Config("build-error"));
        await deployment.StartAsync();

        Assert.Equal(DeploymentStatus.FAILED, deployment.Status);
        Assert.Contains("No matching distribution found for scikit-learn==0.0.0", deployment.Message);
        Assert.StartsWith("ERROR: Could not find a version", deployment.Message);
    }

    [Fact]
    public async Task A_missing_modal_cli_fails_with_how_to_install_it()
    {
        await using var deployment = NewDeployment(Config(modal: Path.Combine(_dir, "no-such-dir", "modal")));
        await deployment.StartAsync();

        Assert.Equal(DeploymentStatus.FAILED, deployment.Status);
        Assert.StartsWith("modal CLI not found: install it with pip install modal and run modal token new", deployment.Message);
        Assert.Empty(Calls());
        await deployment.StopAsync(); // nothing was deployed: no modal call
        Assert.Equal(DeploymentStatus.STOPPED, deployment.Status);
    }

    [Fact]
    public async Task Without_a_url_or_volume_the_model_is_uploaded_first()
    {
        const string uploaded = "https://models.s3.example.com/iris/v2/model.joblib?X-Amz-Signature=feedface";
        ModelInfo? given = null;
        await using var deployment = NewDeployment(Config() with { ModelUrl = null }, upload: (m, _) =>
        {
            given = m;
            return Task.FromResult(uploaded);
        });

        await deployment.StartAsync();

        Assert.Equal(DeploymentStatus.READY, deployment.Status);
        Assert.Same(fixture.Model, given);
        Assert.Equal(uploaded, Calls()[0]["env"]!["MLTRACK_MODEL_URL"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_backends_own_modal_token_passes_through_when_none_is_given()
    {
        var before = (Environment.GetEnvironmentVariable("MODAL_TOKEN_ID"), Environment.GetEnvironmentVariable("MODAL_TOKEN_SECRET"));
        Environment.SetEnvironmentVariable("MODAL_TOKEN_ID", "ak-fromTheEnvironment42");
        Environment.SetEnvironmentVariable("MODAL_TOKEN_SECRET", "as-fromTheEnvironmentSecret42");
        try
        {
            await using var deployment = new ModalDeployment(fixture.Model, Config(), Path.Combine(_dir, "env"));
            await deployment.StartAsync();

            Assert.Equal(DeploymentStatus.READY, deployment.Status);
            var env = Calls()[0]["env"]!;
            Assert.Equal("ak-fromTheEnvironment42", env["MODAL_TOKEN_ID"]!.GetValue<string>());
            Assert.Equal("as-fromTheEnvironmentSecret42", env["MODAL_TOKEN_SECRET"]!.GetValue<string>());
            Assert.DoesNotContain("as-fromTheEnvironmentSecret42", string.Join("\n", deployment.Logs));
        }
        finally
        {
            Environment.SetEnvironmentVariable("MODAL_TOKEN_ID", before.Item1);
            Environment.SetEnvironmentVariable("MODAL_TOKEN_SECRET", before.Item2);
        }
    }

    [Fact]
    public void Output_lines_are_read_for_the_stage_and_endpoint()
    {
        Assert.Equal("https://ws--app.modal.run", ModalOutput.EndpointUrl("└── 🔨 Created web function Model.web => https://ws--app.modal.run"));
        Assert.Null(ModalOutput.EndpointUrl("View Deployment: https://modal.com/apps/ws/main/deployed/app"));
        Assert.True(ModalOutput.AnnouncesDeploying("Built image im-123 in 3.2s"));
        Assert.Equal("Token missing.", ModalOutput.Clean("\u001b[31m│ Token missing. │\u001b[0m"));
    }
}
