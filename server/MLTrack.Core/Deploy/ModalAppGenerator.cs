using System.Globalization;
using System.Text.RegularExpressions;

namespace MLTrack.Core.Deploy;

/// <summary>
/// Writes the Modal app for a model: <c>modal_app.py</c> (a <c>modal.App</c>, a Debian-slim image with the framework
/// pinned to the run's version, CPU/memory/GPU/min-containers/timeout from <see cref="DeploymentConfig"/>, the model
/// from a presigned URL or a Modal volume, an ASGI web endpoint with <c>/predict</c>, <c>/health</c> and
/// <c>/openapi.json</c> calling predictor.py) next to predictor.py and openapi.json. No credential is written: the
/// model URL travels in <c>MLTRACK_MODEL_URL</c> of the <c>modal deploy</c> process.
/// </summary>
public static partial class ModalAppGenerator
{
    public const string AppFileName = "modal_app.py";
    public const string ModelUrlVariable = "MLTRACK_MODEL_URL";
    private const string DefaultPython = "3.11";

    /// <summary>Writes predictor.py, openapi.json and modal_app.py into <paramref name="directory"/>; returns the app file's path.</summary>
    public static string Generate(ModelInfo model, DeploymentConfig config, string directory)
    {
        PredictorGenerator.Generate(model, directory, config.Title, config.Version, copyModel: false);
        PredictorGenerator.WorkFolder(directory).WriteAllText(AppFileName, Render(model, config));
        return Path.Combine(directory, AppFileName);
    }

    public static string Render(ModelInfo model, DeploymentConfig config)
    {
        var env = "{" + string.Join(", ", config.EnvironmentVariables.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => PythonLiteral.String(kv.Key) + ": " + PythonLiteral.String(kv.Value))) + "}";
        var viaUrl = config.ModalVolume is null;
        if (viaUrl) env = env == "{}" ? "{\"MLTRACK_MODEL_URL\": MODEL_URL}" : env[..^1] + ", \"MLTRACK_MODEL_URL\": MODEL_URL}";
        var gpu = string.IsNullOrWhiteSpace(config.Gpu) ? "None" : PythonLiteral.String(config.Gpu.Trim());
        return DeployTemplates.Render(DeployTemplates.ModalApp, new Dictionary<string, string>
        {
            ["RUN_ID"] = PredictorGenerator.OneLine(model.RunId),
            ["TITLE"] = PredictorGenerator.OneLine(config.Title),
            ["VERSION"] = PredictorGenerator.OneLine(config.Version),
            ["APP_FILE"] = AppFileName,
            ["MODEL_SOURCE_DOC"] = viaUrl
                ? "downloaded once per container from the URL in $MLTRACK_MODEL_URL (given to `modal deploy`)"
                : $"read from the Modal volume '{PredictorGenerator.OneLine(config.ModalVolume!)}'",
            ["APP_NAME"] = PythonLiteral.String(config.AppName),
            ["MODEL_FILE"] = PythonLiteral.String(model.ModelFileName),
            ["VOLUME_NAME"] = PythonLiteral.String(config.ModalVolume),
            ["VOLUME_PATH"] = PythonLiteral.String(config.ModalVolumePath?.Trim('/')),
            ["PYTHON_VERSION"] = PythonLiteral.String(PythonVersion(model.PythonVersion)),
            ["PIP_PACKAGES"] = string.Join(", ", PipPackages(model).Select(PythonLiteral.String)),
            ["ENV"] = env,
            ["ENV_URL_NOTE"] = viaUrl ? " and the model URL" : "",
            ["CPU"] = PythonLiteral.Number(config.Cpu),
            ["MEMORY"] = PythonLiteral.Number(config.MemoryMb),
            ["GPU"] = gpu,
            ["MIN_CONTAINERS"] = PythonLiteral.Number(config.MinContainers),
            ["TIMEOUT"] = PythonLiteral.Number(config.TimeoutSeconds),
            ["LABEL"] = PythonLiteral.String(config.AppName),
            ["TITLE_LITERAL"] = PythonLiteral.String(config.Title),
        });
    }

    /// <summary>The image's pip requirements: the framework pinned to the run's version (local build tags such as
    /// <c>+cu121</c> dropped), what the predictor imports, and FastAPI for the endpoint.</summary>
    public static IReadOnlyList<string> PipPackages(ModelInfo model)
    {
        var version = model.FrameworkVersion.Split('+')[0].Trim();
        var pinned = version.Length > 0 && PipVersion().IsMatch(version);
        var packages = new List<string> { ModelFormats.PipPackage(model.Framework) + (pinned ? "==" + version : "") };
        if (model.Framework == ModelFramework.Sklearn) packages.Add("joblib");
        // wheels built before NumPy 2 break on it: scikit-learn < 1.4.2, torch < 2.3, tensorflow < 2.18
        var needsOldNumpy = pinned && Version.TryParse(string.Join('.', version.Split('.').Take(3).Select(p => new string(p.TakeWhile(char.IsDigit).ToArray())).Select(p => p.Length == 0 ? "0" : p)), out var v)
            && model.Framework switch
            {
                ModelFramework.Sklearn => v < new Version(1, 4, 2),
                ModelFramework.PyTorch => v < new Version(2, 3),
                _ => v < new Version(2, 18),
            };
        packages.Add(needsOldNumpy ? "numpy<2" : "numpy");
        packages.Add("fastapi[standard]");
        return packages;
    }

    /// <summary>major.minor of the Python the model was saved with, within what Modal images offer (3.9–3.13).</summary>
    internal static string PythonVersion(string? saved)
    {
        if (saved is null) return DefaultPython;
        var parts = saved.Split('.');
        if (parts.Length < 2 || parts[0] != "3" || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor)) return DefaultPython;
        return "3." + Math.Clamp(minor, 9, 13).ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^[0-9][0-9A-Za-z.!-]*$")]
    private static partial Regex PipVersion();
}
