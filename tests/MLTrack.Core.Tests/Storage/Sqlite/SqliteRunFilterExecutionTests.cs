using MLTrack.Core.Tests.Search;

namespace MLTrack.Core.Tests.Storage.Sqlite;

/// <summary>The shared filter execution cases on SQLite (rows keyed by rowid).</summary>
public sealed class SqliteRunFilterExecutionTests() : RunFilterExecutionContract<long>(new SearchTestDatabase());
