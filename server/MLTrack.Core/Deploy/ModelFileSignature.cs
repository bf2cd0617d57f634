using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace MLTrack.Core.Deploy;

/// <summary>
/// Tells the framework of a model from its bytes when no metadata says: a TensorFlow SavedModel folder
/// (<c>saved_model.pb</c>), a PyTorch zip archive (<c>torch.save</c>: <c>*/data.pkl</c>; TorchScript: <c>*/constants.pkl</c>
/// or <c>*/code/</c>), a pickle or joblib stream naming <c>sklearn</c> (or a legacy <c>torch</c> pickle). Formats it
/// recognizes but cannot serve (Keras HDF5, Keras v3) come back with <see cref="Unsupported"/> set.
/// </summary>
internal static partial class ModelFileSignature
{
    internal sealed record Detection(ModelFramework? Framework, ModelFormat? Format, string? Version, string? Unsupported);

    private const int ScanBytes = 1 << 20;
    private static readonly byte[] s_zip = [0x50, 0x4b, 0x03, 0x04];
    private static readonly byte[] s_hdf5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

    public static Detection Detect(string path)
    {
        if (Directory.Exists(path))
        {
            return File.Exists(Path.Combine(path, "saved_model.pb")) || File.Exists(Path.Combine(path, "saved_model.pbtxt"))
                ? new Detection(ModelFramework.TensorFlow, ModelFormat.SavedModel, null, null)
                : new Detection(null, null, null, null);
        }
        if (Path.GetFileName(path) is "saved_model.pb" or "saved_model.pbtxt")
            return new Detection(ModelFramework.TensorFlow, ModelFormat.SavedModel, null, null);

        byte[] head;
        using (var stream = File.OpenRead(path))
        {
            head = new byte[(int)Math.Min(ScanBytes, stream.Length)];
            stream.ReadExactly(head);
        }
        if (head.AsSpan().StartsWith(s_zip)) return FromZip(path);
        if (head.AsSpan().StartsWith(s_hdf5)) return new Detection(null, null, null, "Keras/HDF5 (.h5)");
        bool joblibName = path.EndsWith(".joblib", StringComparison.OrdinalIgnoreCase);
        bool compressed = false;
        if (head.Length > 2 && ((head[0] == 0x78 && head[1] is 0x01 or 0x5e or 0x9c or 0xda) || (head[0] == 0x1f && head[1] == 0x8b)))
        {
            head = Inflate(path, gzip: head[0] == 0x1f);
            compressed = true;
        }
        if (head.Length > 1 && head[0] == 0x80 && head[1] <= 5)
        {
            var text = Encoding.Latin1.GetString(head);
            if (text.Contains("sklearn", StringComparison.Ordinal))
            {
                var version = SklearnVersion().Match(text) is { Success: true } m ? m.Groups[1].Value : null;
                var joblib = joblibName || compressed || text.Contains("joblib.numpy_pickle", StringComparison.Ordinal);
                return new Detection(ModelFramework.Sklearn, joblib ? ModelFormat.Joblib : ModelFormat.Pickle, version, null);
            }
            if (text.Contains("torch._utils", StringComparison.Ordinal) || text.Contains("torch.nn", StringComparison.Ordinal))
                return new Detection(ModelFramework.PyTorch, ModelFormat.TorchSave, null, null);
            foreach (var (module, name) in new[] { ("xgboost", "XGBoost"), ("lightgbm", "LightGBM"), ("catboost", "CatBoost") })
            {
                if (text.Contains(module, StringComparison.Ordinal)) return new Detection(null, null, null, name);
            }
        }
        return new Detection(null, null, null, null);
    }

    private static Detection FromZip(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            if (names.Any(n => n.EndsWith("/constants.pkl", StringComparison.Ordinal) || n.Contains("/code/", StringComparison.Ordinal)))
                return new Detection(ModelFramework.PyTorch, ModelFormat.TorchScript, null, null);
            if (names.Any(n => n.EndsWith("/data.pkl", StringComparison.Ordinal) || n == "data.pkl"))
                return new Detection(ModelFramework.PyTorch, ModelFormat.TorchSave, null, null);
            if (names.Contains("config.json") && names.Any(n => n.EndsWith(".weights.h5", StringComparison.Ordinal)))
                return new Detection(null, null, null, "Keras v3 (.keras)");
        }
        catch (InvalidDataException)
        {
        }
        return new Detection(null, null, null, null);
    }

    private static byte[] Inflate(string path, bool gzip)
    {
        using var file = File.OpenRead(path);
        using Stream inflater = gzip ? new GZipStream(file, CompressionMode.Decompress) : new ZLibStream(file, CompressionMode.Decompress);
        var buffer = new byte[ScanBytes];
        int read;
        try
        {
            read = inflater.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException)
        {
            return [];
        }
        return buffer.AsSpan(0, read).ToArray();
    }

    // pickle: the key "_sklearn_version", a memo opcode or two, then the value as a short unicode string.
    [GeneratedRegex(@"_sklearn_version[\s\S]{1,6}?(\d+\.\d+(?:\.\d+)?(?:(?:rc|post|dev|a|b)\d*)?)")]
    private static partial Regex SklearnVersion();
}
