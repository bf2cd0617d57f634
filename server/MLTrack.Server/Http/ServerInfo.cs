namespace MLTrack.Server.Http;

/// <summary>What <c>.mltrack/server.json</c> says about a running server: where it answers, its process, its store and start time.</summary>
public sealed record ServerInfo(Uri Url, int Pid, string Store, DateTimeOffset Started);
