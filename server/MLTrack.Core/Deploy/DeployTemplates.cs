using System.Text;
using System.Text.RegularExpressions;

namespace MLTrack.Core.Deploy;

/// <summary>
/// The Python files MLTrack generates, kept as readable embedded resources under <c>Deploy/Templates/</c>. A template
/// marks each value as <c>{{NAME}}</c>; <see cref="Render"/> fills every mark (values are already Python literals or
/// code) and refuses a template with a mark left unfilled.
/// </summary>
internal static partial class DeployTemplates
{
    public const string Predictor = "predictor.py";
    public const string Server = "server.py";
    public const string ModalApp = "modal_app.py";
    public const string Probe = "probe.py";

    /// <summary>The framework-specific <c>_load_model</c>/<c>_predict_rows</c> section of the predictor.</summary>
    public static string FrameworkSection(ModelFramework framework) => framework switch
    {
        ModelFramework.Sklearn => "predict_sklearn.py",
        ModelFramework.PyTorch => "predict_pytorch.py",
        ModelFramework.TensorFlow => "predict_tensorflow.py",
        _ => throw new ArgumentOutOfRangeException(nameof(framework)),
    };

    public static string Read(string name)
    {
        var assembly = typeof(DeployTemplates).Assembly;
        var resource = "MLTrack.Core.Deploy.Templates." + name;
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded template '{resource}' is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }

    public static string Render(string name, IReadOnlyDictionary<string, string> values)
    {
        var text = Mark().Replace(Read(name), m =>
            values.TryGetValue(m.Groups[1].Value, out var v)
                ? v
                : throw new InvalidOperationException($"Template '{name}' needs a value for {{{{{m.Groups[1].Value}}}}}."));
        return text;
    }

    [GeneratedRegex(@"\{\{([A-Z_]+)\}\}")]
    private static partial Regex Mark();
}
