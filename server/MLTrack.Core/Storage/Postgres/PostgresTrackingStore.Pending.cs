using MLTrack.Core.Analytics;

namespace MLTrack.Core.Storage.Postgres;

// TEMPORARY scaffold while the areas are written in parallel: each area's author deletes its methods from here when
// its partial file implements them. This file must be gone before the issue is done.
public sealed partial class PostgresTrackingStore
{
    // IAnalyticsStore
}
