using System.IO.Compression;
using MLTrack.Core.Deploy;

namespace MLTrack.Core.Tests.Deploy;

/// <summary>File-signature detection. PyTorch and TensorFlow are not installed here, so their files are built by hand
/// with the layout those libraries write (zip entries, SavedModel folder); the bytes inside are placeholders.</summary>
public sealed class ModelFileSignatureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mltrack-sig-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Zip(string name, params string[] entries)
    {
        var path = Path.Combine(_dir, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var e in entries)
        {
            using var w = new StreamWriter(zip.CreateEntry(e).Open());
            w.Write("x");
        }
        return path;
    }

    [Fact]
    public void A_torch_save_archive_is_pytorch()
    {
        var d = ModelFileSignature.Detect(Zip("model.pt", "archive/data.pkl", "archive/data/0", "archive/version"));
        Assert.Equal((ModelFramework.PyTorch, ModelFormat.TorchSave), (d.Framework, d.Format));
    }

    [Fact]
    public void A_torchscript_archive_is_torchscript()
    {
        var d = ModelFileSignature.Detect(Zip("model.pt", "net/data.pkl", "net/code/__torch__/net.py", "net/constants.pkl", "net/version"));
        Assert.Equal((ModelFramework.PyTorch, ModelFormat.TorchScript), (d.Framework, d.Format));
    }

    [Fact]
    public void A_saved_model_folder_is_tensorflow()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, "saved")).FullName;
        File.WriteAllBytes(Path.Combine(folder, "saved_model.pb"), [0x08, 0x01]);
        var d = ModelFileSignature.Detect(folder);
        Assert.Equal((ModelFramework.TensorFlow, ModelFormat.SavedModel), (d.Framework, d.Format));
    }

    [Fact]
    public void Keras_hdf5_is_recognised_as_unsupported()
    {
        var path = Path.Combine(_dir, "model.h5");
        File.WriteAllBytes(path, [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
        var d = ModelFileSignature.Detect(path);
        Assert.Null(d.Framework);
        Assert.Contains("HDF5", d.Unsupported);
    }

    [Fact]
    public void Unknown_bytes_are_not_guessed()
    {
        var path = Path.Combine(_dir, "model.bin");
        File.WriteAllText(path, "hello");
        var d = ModelFileSignature.Detect(path);
        Assert.Null(d.Framework);
        Assert.Null(d.Unsupported);
    }
}
