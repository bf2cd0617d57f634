using MLTrack.Core.Runs;
using MLTrack.Core.Storage;

namespace MLTrack.Core.Tests.Storage.Contracts;

/// <summary>
/// The base of the per-area store contract suites: each test gets a fresh, empty store from the implementation's
/// <see cref="CreateStore"/> (xUnit makes one instance per test). A store that passes every suite is a correct
/// <see cref="ITrackingStore"/>; each implementation runs every suite (SqliteStoreContracts.cs, PostgresStoreContracts.cs).
/// </summary>
public abstract class StoreContract : IDisposable
{
    private ITrackingStore? _store;

    protected abstract ITrackingStore CreateStore();

    protected ITrackingStore Store => _store ??= CreateStore();

    protected Run NewRun(string? experiment = null, string? name = null) =>
        Store.CreateRun(new NewRun { ExperimentId = experiment, Name = name, User = "ada" });

    protected virtual void Cleanup() { }

    public void Dispose()
    {
        _store?.Dispose();
        Cleanup();
        GC.SuppressFinalize(this);
    }
}
