namespace MLTrack.Core.Storage;

/// <summary>Preferences of the browser UI, per user, as a JSON object.</summary>
public interface IPreferenceStore
{
    string? GetPreferences(string user);
    void SavePreferences(string user, string json);
}
