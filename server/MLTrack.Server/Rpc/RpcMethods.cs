namespace MLTrack.Server.Rpc;

/// <summary>Every JSON-RPC method and notification name, once. <c>extension/src/protocol.ts</c> mirrors this list.</summary>
public static class RpcMethods
{
    public const string Initialize = "initialize";
    public const string Shutdown = "shutdown";
    public const string ExperimentsList = "experiments/list";
    public const string RunsList = "runs/list";
    public const string RunsGet = "runs/get";
    public const string RunsLaunch = "runs/launch";
    public const string RunsStop = "runs/stop";
    public const string RunsDelete = "runs/delete";
    public const string RunsRestore = "runs/restore";
    public const string RunsSetTag = "runs/setTag";
    public const string RunsDeleteTag = "runs/deleteTag";
    public const string MetricsHistory = "metrics/history";
    public const string MetricsHistoryMany = "metrics/historyMany";
    public const string MetricsKeys = "metrics/keys";
    public const string MetricsLatest = "metrics/latest";
    public const string SearchQuery = "search/query";
    public const string LineageGraph = "lineage/graph";
    public const string RunsCodeDiff = "runs/codeDiff";
    public const string ArtifactsRead = "artifacts/read";
    public const string DeploymentsCreate = "deployments/create";
    public const string DeploymentsList = "deployments/list";
    public const string DeploymentsGet = "deployments/get";
    public const string DeploymentsStop = "deployments/stop";
    public const string DeploymentsDelete = "deployments/delete";
    public const string DeploymentsOpenApi = "deployments/openapi";
    public const string DeploymentsLogs = "deployments/logs";
    public const string DeploymentsCanDeploy = "deployments/canDeploy";
    public const string AnalyticsTimeSeries = "analytics/timeSeries";
    public const string AnalyticsHeatmap = "analytics/heatmap";
    public const string AnalyticsFacets = "analytics/facets";
    public const string AnalyticsProduction = "analytics/production";
    public const string ReportsGenerate = "reports/generate";
    public const string ReportsList = "reports/list";
    public const string ReportsContent = "reports/content";
    public const string ReportsExport = "reports/export";
    public const string ReportsDelete = "reports/delete";
    public const string PreferencesGet = "preferences/get";
    public const string PreferencesSet = "preferences/set";

    // Notifications, server → client.
    public const string RunsChanged = "runs/changed";
    public const string LogAppend = "log/append";
    public const string DeploymentsChanged = "deployments/changed";
    public const string PreferencesChanged = "preferences/changed";
}
