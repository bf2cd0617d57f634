using System.Text.Json.Nodes;
using MLTrack.Core.Deploy;

namespace MLTrack.Core.Tests.Deploy;

[Collection(SklearnModelCollection.Name)]
public sealed class PredictorGeneratorTests(SklearnModelFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-predictor-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_generated_predictor_compiles_predicts_like_the_model_and_names_schema_problems()
    {
        var package = PredictorGenerator.Generate(fixture.Model, _dir, "Iris", "1.0.0");

        var (ok, error) = await TestPython.CompileAsync(package.PredictorPath);
        Assert.True(ok, error);
        Assert.True(File.Exists(package.ModelPath));
        var text = File.ReadAllText(package.PredictorPath);
        Assert.Contains("def load(path=None):", text);
        Assert.Contains("def predict(instances):", text);
        Assert.DoesNotContain("import torch", text); // only the framework's own section

        var script = Path.Combine(_dir, "use.py");
        File.WriteAllText(script, """
            import json, sys
            sys.path.insert(0, sys.argv[1])
            import predictor
            rows = json.loads(sys.argv[2])
            out = {"predictions": predictor.predict(rows)}
            for name, bad in [("short", [[1.0, 2.0, 3.0]]), ("text", [[1.0, 2.0, 3.0, 4.0], [1.0, 2.0, "x", 4.0]]),
                              ("empty", []), ("scalar", [5.0])]:
                try:
                    predictor.predict(bad)
                    out[name] = "accepted"
                except ValueError as e:
                    out[name] = str(e)
            print(json.dumps(out))
            """.Replace("\n            ", "\n"));
        var result = await TestPython.RunAsync(script, [_dir, fixture.TestRows.ToJsonString()]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var output = JsonNode.Parse(result.Stdout)!;

        Assert.Equal((await fixture.PredictInProcessAsync(fixture.TestRows)).ToJsonString(), output["predictions"]!.ToJsonString());
        Assert.Equal("instances[0]: expected 4 values, got 3", output["short"]!.GetValue<string>());
        Assert.Equal("instances[1][2]: expected a number, got 'x'", output["text"]!.GetValue<string>());
        Assert.Equal("instances: expected a non-empty list of instances, got a list of 0 items", output["empty"]!.GetValue<string>());
        Assert.Equal("instances[0]: expected a list of 4 values, got 5.0", output["scalar"]!.GetValue<string>());
    }

    [Fact]
    public void The_openapi_document_describes_predict_and_health_with_schemas_and_examples()
    {
        var spec = JsonNode.Parse(PredictorGenerator.RenderOpenApi(fixture.Model, "Iris classifier", "2.1.0"))!;

        Assert.Equal("3.1.0", spec["openapi"]!.GetValue<string>());
        Assert.Equal("2.1.0", spec["info"]!["version"]!.GetValue<string>());
        var predict = spec["paths"]!["/predict"]!["post"]!;
        Assert.Equal("predict", predict["operationId"]!.GetValue<string>());
        var media = predict["requestBody"]!["content"]!["application/json"]!;
        Assert.Equal("#/components/schemas/PredictRequest", media["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal(5, media["example"]!["instances"]!.AsArray().Count);
        Assert.NotNull(predict["responses"]!["400"]);
        Assert.Equal(5, predict["responses"]!["200"]!["content"]!["application/json"]!["example"]!["predictions"]!.AsArray().Count);
        Assert.NotNull(spec["paths"]!["/health"]!["get"]);
        var instance = spec["components"]!["schemas"]!["Instance"]!;
        Assert.Equal(4, instance["minItems"]!.GetValue<int>());
        Assert.Equal("number", instance["items"]!["type"]!.GetValue<string>());
        Assert.Equal("integer", spec["components"]!["schemas"]!["Prediction"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Named_columns_accept_objects_and_name_the_missing_field()
    {
        var model = fixture.Model with { InputSchema = fixture.Model.InputSchema with { Columns = ["sl", "sw", "pl", "pw"] } };
        var package = PredictorGenerator.Generate(model, _dir, "Iris", "1");
        var script = Path.Combine(_dir, "cols.py");
        File.WriteAllText(script, """
            import json, sys
            sys.path.insert(0, sys.argv[1])
            import predictor
            out = {"ok": predictor.predict([{"sl": 5.1, "sw": 3.5, "pl": 1.4, "pw": 0.2}])}
            for name, bad in [("missing", [{"sl": 5.1, "sw": 3.5, "pl": 1.4}]), ("extra", [{"sl": 1, "sw": 1, "pl": 1, "pw": 1, "zz": 2}]),
                              ("typed", [[5.1, None, 1.4, 0.2]])]:
                try:
                    predictor.predict(bad)
                except ValueError as e:
                    out[name] = str(e)
            print(json.dumps(out))
            """.Replace("\n            ", "\n"));
        var result = await TestPython.RunAsync(script, [package.Directory]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var output = JsonNode.Parse(result.Stdout)!;
        Assert.Single(output["ok"]!.AsArray());
        Assert.Equal("instances[0]: missing field 'pw' (expected fields: sl, sw, pl, pw)", output["missing"]!.GetValue<string>());
        Assert.Equal("instances[0]: unknown field 'zz' (expected fields: sl, sw, pl, pw)", output["extra"]!.GetValue<string>());
        Assert.Equal("instances[0][1] ('sw'): expected a number, got null", output["typed"]!.GetValue<string>());
    }

    /// <summary>PyTorch is not installed here (and must not be): this runs the generated PyTorch predictor against a
    /// pure-Python stand-in <c>torch</c> module (load/as_tensor/no_grad/jit.load) to exercise its control flow only.</summary>
    [Theory]
    [InlineData(ModelFormat.TorchSave)]
    [InlineData(ModelFormat.TorchScript)]
    public async Task The_pytorch_predictor_loads_and_calls_the_module_against_a_stand_in_torch(ModelFormat format)
    {
        var fake = Directory.CreateDirectory(Path.Combine(_dir, "fake", "torch")).FullName;
        File.WriteAllText(Path.Combine(fake, "__init__.py"), """
            import contextlib, json
            __version__ = "0.0-standin"
            float32, int64 = "float32", "int64"
            class Tensor:
                def __init__(self, rows): self.rows = rows
                def detach(self): return self
                def cpu(self): return self
                def numpy(self): return self
                def tolist(self): return self.rows
            class Linear:  # sums each row times a weight read from the "model file"
                def __init__(self, w): self.w, self.evaluated = w, False
                def eval(self): self.evaluated = True
                def __call__(self, x):
                    assert self.evaluated, "eval() was not called"
                    return Tensor([[sum(v * self.w for v in row)] for row in x.rows])
            def as_tensor(rows, dtype=None):
                assert dtype == float32
                return Tensor(rows)
            def load(path, map_location=None, weights_only=True):
                assert map_location == "cpu" and weights_only is False
                return Linear(json.load(open(path))["w"])
            no_grad = contextlib.nullcontext
            class jit:
                @staticmethod
                def load(path, map_location=None):
                    return Linear(json.load(open(path))["w"])
            """.Replace("\n            ", "\n"));
        var modelFile = Path.Combine(_dir, "net.pt");
        File.WriteAllText(modelFile, """{"w": 2.0}""");
        var model = new ModelInfo
        {
            RunId = "r1",
            Framework = ModelFramework.PyTorch,
            FrameworkVersion = "2.1.0",
            Format = format,
            ArtifactPath = "model/net.pt",
            LocalPath = modelFile,
            DetectedBy = "metadata",
            InputSchema = new TensorSpec([3], "number"),
            InputExample = [new JsonArray(1.0, 2.0, 3.0)],
        };
        var package = PredictorGenerator.Generate(model, Path.Combine(_dir, "pkg"), "Net", "1");
        Assert.True((await TestPython.CompileAsync(package.PredictorPath)).Ok);
        var script = Path.Combine(_dir, "torchy.py");
        File.WriteAllText(script, """
            import json, sys
            sys.path.insert(0, sys.argv[1])
            import predictor
            print(json.dumps(predictor.predict([[1.0, 2.0, 3.0], [0, 0, 1]])))
            """.Replace("\n            ", "\n"));

        var result = await TestPython.RunAsync(script, [package.Directory], new Dictionary<string, string> { ["PYTHONPATH"] = Path.GetDirectoryName(fake)! });

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("[[12.0], [2.0]]", result.Stdout.Trim());
    }
}
