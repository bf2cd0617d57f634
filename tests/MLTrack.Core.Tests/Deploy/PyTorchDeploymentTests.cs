using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MLTrack.Core.Deploy;
using MLTrack.Core.Tests.Launch;

namespace MLTrack.Core.Tests.Deploy;

/// <summary>
/// Trains a tiny real PyTorch model (Linear(4,8), ReLU, Linear(8,3) on random data) with Debian's /usr/bin/python3 and
/// logs it as a run artifact the way the client's <c>log_model</c> does: the client's own <c>save_model</c> writes
/// model.pt (torch.save of the module), state_dict.pt, mltrack_model.json and input_example.json, copied under
/// <c>model/</c> with the same tags. Needs python3-torch (Debian 12: 1.13.1).
/// </summary>
public sealed class PyTorchModelFixture : TrainedModelFixture
{
    public string TorchVersion => FrameworkVersion;

    protected override string TrainingScript => """
            import json, sys
            import torch
            from torch import nn
            from mltrack._models import save_model
            out = sys.argv[1]
            torch.manual_seed(0)
            X = torch.randn(64, 4)
            y = torch.randint(0, 3, (64,))
            model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
            opt = torch.optim.SGD(model.parameters(), lr=0.1)
            for _ in range(50):
                opt.zero_grad()
                loss = nn.functional.cross_entropy(model(X), y)
                loss.backward()
                opt.step()
            model.eval()
            save_model(model, out, input_example=X.numpy())
            with open(out + "/../test_rows.json", "w") as f:
                json.dump(torch.randn(10, 4).tolist(), f)
            print(torch.__version__)
            """.Replace("\n            ", "\n");

    protected override string PredictScript => """
            import json, sys, torch
            model = torch.load(sys.argv[1], map_location="cpu")
            model.eval()
            rows = json.load(open(sys.argv[2]))
            with torch.no_grad():
                print(json.dumps(model(torch.tensor(rows, dtype=torch.float32)).tolist()))
            """.Replace("\n            ", "\n");
}

public sealed class PyTorchDeploymentTests(PyTorchModelFixture fixture) : IClassFixture<PyTorchModelFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-torch-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void The_inspector_detects_pytorch_and_its_version()
    {
        var model = fixture.Model;
        Assert.Equal(ModelFramework.PyTorch, model.Framework);
        // Debian 12's python3-torch is 1.13.1+dfsg, but its torch.__version__ (and egg-info) says "1.13.0a0": the
        // inspector reports what the saving interpreter's torch says about itself, recorded by save_model
        Assert.StartsWith("1.13", fixture.TorchVersion);
        Assert.Equal(fixture.TorchVersion, model.FrameworkVersion);
        Assert.Equal(ModelFormat.TorchSave, model.Format);
        Assert.Equal("model/model.pt", model.ArtifactPath);
        Assert.Equal("metadata", model.DetectedBy);
        Assert.Equal("torch.nn.modules.container.Sequential", model.ModelClass);
        Assert.Equal([4], model.InputSchema!.Shape);
        Assert.NotNull(model.OutputExample);
        Assert.Equal(3, model.OutputExample![0]!.AsArray().Count);
    }

    [Fact]
    public async Task The_local_target_serves_the_same_outputs_as_the_model_in_process_and_its_openapi()
    {
        await using var deployment = new LocalDeployment(fixture.Model,
            new DeploymentConfig { AppName = "torchnet", ModelName = "Torch net", ModelVersion = "1.0.0" },
            _dir, new PythonRunner(TestPython.Executable, TimeSpan.FromSeconds(60)));

        await deployment.StartAsync();

        Assert.True(deployment.Status == DeploymentStatus.READY, deployment.Message);
        var url = deployment.EndpointUrl!;
        using var response = await _http.PostAsync(url + "/predict",
            new StringContent(new JsonObject { ["instances"] = fixture.TestRows.DeepClone() }.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var served = JsonNode.Parse(text)!["predictions"]!.AsArray();
        var expected = await fixture.PredictInProcessAsync(fixture.TestRows);
        Assert.Equal(10, expected.Count);
        Assert.Equal(expected.Count, served.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var e = expected[i]!.AsArray();
            var s = served[i]!.AsArray();
            Assert.Equal(3, e.Count);
            Assert.Equal(e.Count, s.Count);
            for (var j = 0; j < e.Count; j++)
                Assert.True(Math.Abs(e[j]!.GetValue<double>() - s[j]!.GetValue<double>()) <= 1e-5, $"[{i}][{j}]: {e[j]} vs {s[j]}");
        }

        var openapi = JsonNode.Parse(await _http.GetStringAsync(url + "/openapi.json"))!;
        Assert.Equal("predict", openapi["paths"]!["/predict"]!["post"]!["operationId"]!.GetValue<string>());
        Assert.Equal("Torch net", openapi["info"]!["title"]!.GetValue<string>());
    }
}
