using System.Text.Json.Nodes;
using MLTrack.Core.Preferences;

namespace MLTrack.Server.Rpc.Dto;

/// <summary>Params of <c>preferences/get</c>.</summary>
public sealed record PreferencesGetParams(string? User = null);

/// <summary>Params of <c>preferences/set</c>: the fields to change, camelCase as in <see cref="UserPreferences"/>.</summary>
public sealed record PreferencesSetParams(string? User = null, JsonObject? Values = null);

/// <summary>Result of preferences/get and preferences/set, and params of the <c>preferences/changed</c> notification.</summary>
public sealed record PreferencesResult(string User, UserPreferences Preferences);
