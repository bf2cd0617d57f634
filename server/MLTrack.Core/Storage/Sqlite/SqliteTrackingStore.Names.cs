using MLTrack.Core.Names;

namespace MLTrack.Core.Storage.Sqlite;

public sealed partial class SqliteTrackingStore
{
    // The store applies NameRules itself, so no caller (REST, RPC, launcher, a future one) can write a key or name that
    // spoofs another. Callers that know the request's field names check first to say which field was wrong.

    private static string CheckKey(string key, string entity)
    {
        try
        {
            return NameRules.CheckKey(key, entity);
        }
        catch (InvalidNameException e)
        {
            throw new StoreException(StoreErrorCode.InvalidParameterValue, e.Message, e);
        }
    }

    private static string? CheckName(string? name, string what)
    {
        try
        {
            return NameRules.CheckName(name, what);
        }
        catch (InvalidNameException e)
        {
            throw new StoreException(StoreErrorCode.InvalidParameterValue, e.Message, e);
        }
    }

    private static void CheckTags(IEnumerable<KeyValuePair<string, string>>? tags)
    {
        foreach (var (k, _) in tags ?? []) CheckKey(k, "tag");
    }
}
