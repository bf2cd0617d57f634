using MLTrack.Server.Rpc;

namespace MLTrack.Server.Ui;

/// <summary>
/// The RPC methods a panel may call, from a browser (<c>POST /rpc</c>) as from a VS Code webview (the extension's
/// bridge keeps the same list in <c>extension/src/panels/webviewHost.ts</c>): every read method plus the few writes
/// the panels offer. initialize/shutdown, delete/restore stay out of reach of page content.
/// </summary>
public static class UiRpcMethods
{
    public static readonly IReadOnlySet<string> Allowed = new HashSet<string>(StringComparer.Ordinal)
    {
        RpcMethods.ExperimentsList,
        RpcMethods.RunsList,
        RpcMethods.RunsGet,
        RpcMethods.MetricsHistory,
        RpcMethods.MetricsHistoryMany,
        RpcMethods.MetricsKeys,
        RpcMethods.MetricsLatest,
        RpcMethods.SearchQuery,
        RpcMethods.LineageGraph,
        RpcMethods.RunsCodeDiff,
        RpcMethods.ArtifactsRead,
        RpcMethods.RunsSetTag,
        RpcMethods.RunsDeleteTag,
        RpcMethods.RunsStop,
        RpcMethods.RunsLaunch,
        RpcMethods.DeploymentsCreate,
        RpcMethods.DeploymentsList,
        RpcMethods.DeploymentsGet,
        RpcMethods.DeploymentsStop,
        RpcMethods.DeploymentsDelete,
        RpcMethods.DeploymentsOpenApi,
        RpcMethods.DeploymentsLogs,
        RpcMethods.DeploymentsCanDeploy,
        RpcMethods.AnalyticsTimeSeries,
        RpcMethods.AnalyticsHeatmap,
        RpcMethods.AnalyticsFacets,
        RpcMethods.AnalyticsProduction,
        RpcMethods.ReportsGenerate,
        RpcMethods.ReportsList,
        RpcMethods.ReportsContent,
        RpcMethods.ReportsDelete,
        RpcMethods.PreferencesGet,
        RpcMethods.PreferencesSet,
    };

    /// <summary>The panels served at <c>/ui/&lt;panel&gt;</c> (and opened by the extension).</summary>
    public static readonly IReadOnlySet<string> Panels = new HashSet<string>(StringComparer.Ordinal)
    {
        "runs", "charts", "compare", "run", "lineage", "search", "deployForm", "openapi", "deployments",
        "analytics", "activity", "reports", "production",
    };
}
