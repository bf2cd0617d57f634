// The MLTrack JSON-RPC protocol, mirrored from the C# declarations in server/MLTrack.Server/Rpc/
// (I*Rpc.cs for the methods, Dto/*.cs for the types, RpcMethods.cs for the names, RpcErrorCodes.cs for errors).
// Types and names only, no logic: when the C# side changes, change this file in the same commit.
//
// Transport: JSON-RPC 2.0 with LSP framing (Content-Length headers) over the backend's stdin/stdout
// (`mltrack rpc --stdio`); the browser UI uses the same methods over HTTP. Every method takes ONE params object
// (named members, camelCase) or none; results are camelCase objects.
//
// Numbers: integers (steps, timestamps in ms since the Unix epoch, counts) are plain JSON numbers.
// Metric values are JsonDouble: a finite value is a JSON number; NaN, +Infinity and -Infinity, which JSON cannot
// express, travel as the STRINGS "NaN", "Infinity" and "-Infinity" (System.Text.Json's named floating-point
// literals). Decode with `typeof v === 'string' ? Number(v) : v` (Number("NaN") is NaN, Number("Infinity") is Infinity).
// The same encoding is accepted in params.

/** A metric value: a finite number, or one of the strings for the non-finite values. */
export type JsonDouble = number | 'NaN' | 'Infinity' | '-Infinity';

/** Run status, as MLflow plus CRASHED (a run whose launcher died). */
export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED' | 'CRASHED';

/** Which runs or experiments a listing includes (default "active"). */
export type ViewType = 'active' | 'deleted' | 'all';

export type LifecycleStage = 'active' | 'deleted';

// ---------------------------------------------------------------------------------------------------------------
// initialize / shutdown

export interface InitializeParams {
  /** The editor's first workspace folder: its store is <folder>/.mltrack/mltrack.db (created on demand).
   *  Null/absent: the user-level store ~/.mltrack/mltrack.db. */
  workspaceFolder?: string | null;
  /** An explicit store file (setting); wins over workspaceFolder. */
  storePath?: string | null;
  clientName?: string | null;
  clientVersion?: string | null;
  /** Start the in-process HTTP tracking server so launched runs log to it (default true). */
  startTrackingServer?: boolean;
}

export interface ServerCapabilities {
  textSearch: boolean;
  launch: boolean;
  /** An HTTP tracking server is started in this process (launched runs log to it). */
  trackingServer: boolean;
  lineage: boolean;
  metricBuckets: boolean;
  /** Names of the notifications the backend sends (see Notifications below). */
  notifications: string[];
}

export interface InitializeResult {
  serverVersion: string;
  protocolVersion: number;
  /** Absolute path of the opened store file. */
  storePath: string;
  workspaceFolder: string | null;
  schemaVersion: number;
  /** URL of the in-process HTTP tracking server; null when off or still starting (it starts in the background
   *  after initialize answers; launched runs wait for it and get its URL and token in their environment). */
  trackingUri: string | null;
  capabilities: ServerCapabilities;
}

// ---------------------------------------------------------------------------------------------------------------
// experiments

export interface ExperimentsListParams {
  view?: ViewType | null;
}

export interface ExperimentInfo {
  experimentId: string;
  name: string;
  lifecycleStage: LifecycleStage;
  creationTime: number;
  lastUpdateTime: number;
  /** Active runs in the experiment. */
  runCount: number;
  tags: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------------------------
// runs

/** Names one run: full 32-hex id, or a unique prefix of at least 6 characters. */
export interface RunIdParams {
  runId: string;
}

export interface RunsListParams {
  /** MLflow filter, e.g. "metrics.acc > 0.9 and params.lr = '0.01'". Syntax errors: error InvalidFilter with data.position. */
  filter?: string | null;
  /** e.g. ["metrics.acc DESC", "attributes.start_time"]; ties and default: newest first. */
  orderBy?: string[] | null;
  /** Empty/absent: all experiments. */
  experimentIds?: string[] | null;
  /** 1..50000, default 100. */
  maxResults?: number | null;
  /** nextPageToken of the previous page. */
  pageToken?: string | null;
  view?: ViewType | null;
}

/** A compact row for trees and tables. */
export interface RunRow {
  runId: string;
  name: string | null;
  experimentId: string;
  experimentName: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  durationMs: number | null;
  user: string | null;
  sourceFile: string | null;
  lifecycleStage: LifecycleStage;
  /** Latest value of every metric of the run. */
  metrics: Record<string, JsonDouble>;
  params: Record<string, string>;
}

export interface RunsListResult {
  runs: RunRow[];
  /** Null on the last page. */
  nextPageToken: string | null;
}

export interface GitInfo {
  commit: string | null;
  branch: string | null;
  remote: string | null;
  dirty: boolean | null;
}

export interface ArtifactInfo {
  /** Relative to the run's artifact root, '/' separators. */
  path: string;
  size: number;
  sha256: string;
}

export interface RunFile {
  direction: 'input' | 'output';
  path: string;
  size: number;
  sha256: string;
}

export interface MetricSummary {
  key: string;
  /** Value at the highest step (then newest timestamp). */
  latest: JsonDouble;
  latestStep: number;
  latestTimestamp: number;
  /** Over non-NaN values; "NaN" when there are none. */
  min: JsonDouble;
  max: JsonDouble;
  count: number;
  /** Judged from the name: loss, error, mse, ... improve downwards. */
  lowerIsBetter: boolean;
}

export interface RunDetail {
  runId: string;
  name: string | null;
  experimentId: string;
  experimentName: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  durationMs: number | null;
  user: string | null;
  command: string | null;
  cwd: string | null;
  sourceFile: string | null;
  exitCode: number | null;
  host: string | null;
  git: GitInfo;
  parentRunId: string | null;
  lifecycleStage: LifecycleStage;
  artifactUri: string;
  params: Record<string, string>;
  tags: Record<string, string>;
  metrics: MetricSummary[];
  artifacts: ArtifactInfo[];
  /** Files read and written (lineage). */
  files: RunFile[];
  /** This backend launched the run and can stop it (runs/stop). */
  launchedHere: boolean;
}

/** Runs `interpreter file ...args` (or `command`) as a tracked run, like `mltrack run`. */
export interface LaunchParams {
  /** The script (absolute, or relative to cwd). Required unless `command` is given. */
  file?: string | null;
  args?: string[] | null;
  /** Default "python3". */
  interpreter?: string | null;
  /** Default: the workspace folder, else the script's folder. */
  cwd?: string | null;
  /** Experiment name, created when missing (default "Default"). */
  experiment?: string | null;
  /** Run name (default: the script's file name). */
  name?: string | null;
  params?: Record<string, string> | null;
  /** Extra environment variables. The backend adds MLTRACK_RUN_ID, MLTRACK_EXPERIMENT_ID and, when its tracking
   *  server runs, MLTRACK_TRACKING_URI, MLTRACK_TOKEN, MLFLOW_TRACKING_URI, MLFLOW_TRACKING_TOKEN. */
  env?: Record<string, string> | null;
  /** The whole command line instead of interpreter + file + args (non-Python programs). */
  command?: string[] | null;
}

/** Answered as soon as the run is recorded; its output then arrives as log/append, its progress as runs/changed. */
export interface LaunchResult {
  runId: string;
  experimentId: string;
}

export interface StopResult {
  /** True when this call stopped a running run; false when it had already ended (stopping twice is harmless). */
  stopped: boolean;
  status: RunStatus;
}

export interface SetTagParams {
  runId: string;
  key: string;
  value: string;
}

export interface DeleteTagParams {
  runId: string;
  key: string;
}

// ---------------------------------------------------------------------------------------------------------------
// metrics

export interface MetricHistoryParams {
  runId: string;
  key: string;
  /** Inclusive; default: the series' first step. */
  fromStep?: number | null;
  /** Inclusive; default: the series' last step. */
  toStep?: number | null;
  /** When set: a bucketed view with at most this many buckets (charts; recompute on zoom). */
  buckets?: number | null;
  /** Raw mode only: at most this many points (default 100000); `truncated` tells when cut. */
  maxPoints?: number | null;
}

export interface MetricPoint {
  step: number;
  timestamp: number;
  value: JsonDouble;
}

/** Envelope of non-NaN values over [fromStep, toStep], and the point with the highest step. Empty buckets are omitted. */
export interface MetricBucket {
  fromStep: number;
  toStep: number;
  count: number;
  min: JsonDouble;
  max: JsonDouble;
  lastStep: number;
  last: JsonDouble;
}

/** Exactly one of points (raw) and buckets (bucketed) is non-null. */
export interface MetricHistoryResult {
  runId: string;
  key: string;
  points: MetricPoint[] | null;
  buckets: MetricBucket[] | null;
  truncated: boolean;
}

/** Params of `metrics/historyMany`: `metrics/history` for every run in `runIds` (at most 500) in one call. */
export interface MetricHistoryManyParams {
  /** Run ids or unique prefixes; at most 500. */
  runIds: string[];
  key: string;
  /** Inclusive; default: each series' first step. */
  fromStep?: number | null;
  /** Inclusive; default: each series' last step. */
  toStep?: number | null;
  /** When set: a bucketed view per run with at most this many buckets. */
  buckets?: number | null;
  /** Raw mode only: at most this many points per run (default 100000). */
  maxPoints?: number | null;
}

/** The error `metrics/history` would have failed with for one run of `metrics/historyMany`. */
export interface MetricSeriesError {
  code: number;
  message: string;
  data: ErrorData;
}

/**
 * One entry of `metrics/historyMany` (same order as `runIds`): what `metrics/history` answers for the run, or, when
 * it could not be read (no such run, ambiguous prefix), `error` with both lists null.
 */
export interface MetricSeriesResult {
  /** Full run id (the requested text when it did not resolve). */
  runId: string;
  points: MetricPoint[] | null;
  buckets: MetricBucket[] | null;
  truncated: boolean;
  error?: MetricSeriesError | null;
}

export interface MetricHistoryManyResult {
  series: MetricSeriesResult[];
}

export interface MetricLatestParams {
  key: string;
  /** Most recent runs that logged the key to consider (default 20, max 1000). */
  limit?: number | null;
  experimentIds?: string[] | null;
}

export interface MetricRunValue {
  runId: string;
  runName: string | null;
  experimentId: string;
  status: RunStatus;
  startTime: number;
  value: JsonDouble;
  step: number;
  /** Points in that run's series. */
  count: number;
}

/** For hovers. latest/best are null and the lists empty when no run logged the key. */
export interface MetricLatestResult {
  key: string;
  /** Direction used for `best` (min for loss-like names, else max). */
  lowerIsBetter: boolean;
  /** Latest value in the most recent run that logged the key. */
  latest: MetricRunValue | null;
  /** Best value (min or max over each run's whole series) among the considered runs; `step` is that run's last step. */
  best: MetricRunValue | null;
  /** Latest value per considered run, newest run first. */
  recent: MetricRunValue[];
  /** The last (up to 20) points of the latest run's series, in step order. */
  sparkline: MetricPoint[];
}

// ---------------------------------------------------------------------------------------------------------------
// search

export interface SearchQueryParams {
  /** Every word must match as a prefix; with one typo tolerated when exact prefixes find too little. */
  text: string;
  /** Default 20, max 200. */
  limit?: number | null;
}

export type SearchHitKind = 'run' | 'experiment' | 'param' | 'tag' | 'metric' | 'artifact';

export interface SearchHit {
  kind: SearchHitKind;
  /** Run or experiment name; "key = value" for params and tags; metric key; artifact path. */
  title: string;
  /** Context: "run <name> · <experiment>" (runs: "<STATUS> · <experiment> · <id8>"). Metric keys, artifact paths and
   *  identical param/tag pairs logged by many runs appear once, for the best (usually most recent) run. */
  detail: string;
  /** Null for experiments. */
  runId: string | null;
  experimentId: string | null;
  /** Higher is better (bm25 boosted by recency). */
  score: number;
  /** The indexed text that matched. */
  matchedText: string;
}

export interface SearchQueryResult {
  hits: SearchHit[];
  /** Typo-tolerant matching was used. */
  fuzzy: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// lineage

export interface LineageParams {
  /** Start from this run (give runId or filePath). */
  runId?: string | null;
  /** Start from this file's content: every run downstream of it. */
  filePath?: string | null;
  /** Default "both"; files always go down. */
  direction?: 'up' | 'down' | 'both' | null;
  /** Default 10. */
  depth?: number | null;
}

export interface LineageNode {
  /** "run:<runId>" or "file:<sha256>". */
  id: string;
  kind: 'run' | 'file';
  label: string;
  runId: string | null;
  status: RunStatus | null;
  sha256: string | null;
  /** Hops from the root. */
  depth: number;
}

export interface LineageEdge {
  from: string;
  to: string;
  /** file → run: reads; run → file: writes; parent run → child run: parent. */
  kind: 'reads' | 'writes' | 'parent';
  label: string | null;
}

export interface LineageGraph {
  /** Id of the node the walk started from. */
  root: string;
  nodes: LineageNode[];
  edges: LineageEdge[];
}

/** Params of `runs/codeDiff`: two runs (ids or 6+ character prefixes); each text is cut at maxChars (default 1,000,000). */
export interface CodeDiffParams {
  runA: string;
  runB: string;
  maxChars?: number;
}

/**
 * How two runs' code differs. `diff`: unified diff from run A's commit to run B's ("" for the same commit; null with
 * `reason` when it cannot be computed). `uncommittedA/B`: each run's uncommitted changes (its code.diff), null if none.
 */
export interface CodeDiffResult {
  commitA: string | null;
  commitB: string | null;
  diff: string | null;
  uncommittedA: string | null;
  uncommittedB: string | null;
  truncated: boolean;
  reason: string | null;
}

/** Params of `artifacts/read`: a slice of a run's artifact (default 1 MiB, at most 8 MiB). */
export interface ArtifactReadParams {
  runId: string;
  /** Relative to the run, e.g. "logs/output.log". */
  path: string;
  offset?: number;
  maxBytes?: number;
}

/** `data` is the text when the bytes are valid UTF-8 (`encoding: 'utf8'`), else base64. `truncated`: more follows. */
export interface ArtifactContent {
  path: string;
  size: number;
  offset: number;
  data: string;
  encoding: 'utf8' | 'base64';
  truncated: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// notifications (server → client)

export type RunChangeKind = 'created' | 'status' | 'metrics' | 'tags' | 'deleted' | 'restored';

/**
 * Coalesced: at most one per run per 250 ms. When several things changed in the window, `kind` is the most
 * significant (created > deleted > restored > status > tags > metrics) and `status` is current. Sent for runs
 * launched here, changed through this backend, and runs logged by other processes (the backend polls the store
 * every 500 ms). Re-read the run (runs/get, runs/list) to refresh.
 */
export interface RunChangedParams {
  runId: string;
  kind: RunChangeKind;
  status?: RunStatus | null;
  experimentId?: string | null;
  name?: string | null;
  /** For "metrics": latest values of the keys that got points since the previous notification. */
  metrics?: Record<string, JsonDouble> | null;
}

/** Output lines of a run launched by this backend, batched (about every 100 ms). */
export interface LogAppendParams {
  runId: string;
  stream: 'stdout' | 'stderr';
  /** Without newlines, in order. Over-long lines are cut to 64 Ki characters. */
  lines: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// deployments

export type DeploymentTarget = 'local' | 'modal';
export type DeploymentStatus = 'PENDING' | 'UPLOADING' | 'BUILDING' | 'DEPLOYING' | 'READY' | 'FAILED' | 'STOPPED';

/** Deployment settings; unset fields take the defaults (cpu 1, memoryMb 512, timeoutSeconds 300, app name mltrack-<run>). */
export interface DeploymentConfig {
  appName?: string | null;
  modelName?: string | null;
  modelVersion?: string | null;
  cpu?: number | null;
  memoryMb?: number | null;
  /** Modal GPU type, optionally `:count` (T4, A100:2, ...). */
  gpu?: string | null;
  minContainers?: number | null;
  timeoutSeconds?: number | null;
  /** Environment of the serving container (no credentials: those are refused). */
  env?: Record<string, string> | null;
}

export interface DeploymentCreateParams {
  runId: string;
  target: DeploymentTarget;
  config?: DeploymentConfig;
}

export interface DeploymentListParams {
  runId?: string;
}

export interface DeploymentIdParams {
  deploymentId: string;
}

export interface CanDeployParams {
  runId: string;
}

/** Traffic of a local deployment's POST /predict (latency percentiles in ms). */
export interface DeploymentStats {
  requests: number;
  errors: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** A deployment; times in Unix ms. `stats` only from deployments/get of a local deployment. */
export interface DeploymentInfo {
  deploymentId: string;
  runId: string;
  target: DeploymentTarget;
  name: string;
  modelName: string | null;
  modelVersion: string | null;
  status: DeploymentStatus;
  endpointUrl: string | null;
  message: string | null;
  createdAt: number;
  updatedAt: number;
  config: DeploymentConfig;
  stats: DeploymentStats | null;
}

export interface DeploymentOpenApiResult {
  /** The endpoint's OpenAPI 3.1 document. */
  spec: Record<string, unknown>;
}

export interface DeploymentLogsResult {
  lines: string[];
}

/** ok false with the reason (e.g. the run logged no model). */
export interface CanDeployResult {
  ok: boolean;
  reason: string | null;
  framework: string | null;
}

/** Sent on every status change of a deployment of this backend's process. */
export interface DeploymentChangedParams {
  deploymentId: string;
  runId: string;
  status: DeploymentStatus;
  endpointUrl: string | null;
  message: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// analytics (aggregated in the backend, in SQL; never all runs shipped to a panel)

export type Granularity = 'hour' | 'day' | 'week' | 'month';
/** Ranges relative to now; "ytd" = since 1 January (local), "all" = first run to now; "custom" needs from and to. */
export type RangePreset = '24h' | '7d' | '30d' | '90d' | 'ytd' | 'all' | 'custom';

/**
 * The window and grouping of an analytics query. Times are Unix ms (stored UTC); periods are cut in `timeZone`
 * (IANA name, default the backend's local zone), so a day is a local calendar day (23 or 25 hours across DST) and a
 * week starts on Monday. from > to is refused (InvalidParameterValue naming both); an empty window answers empty.
 */
export interface AnalyticsRangeParams {
  /** Default "30d" (the heatmap: "custom" over the last 52 weeks when from/to are absent). Ignored when from/to are given. */
  preset?: RangePreset | null;
  /** Inclusive start, Unix ms. */
  from?: number | null;
  /** Exclusive end, Unix ms. */
  to?: number | null;
  timeZone?: string | null;
  /** Default: the finest that keeps at most 400 periods. A finer one over too long a range is coarsened (see `note`). */
  granularity?: Granularity | null;
  /** Only runs of these experiments (empty/absent: all). */
  experimentIds?: string[] | null;
  /** Only runs of this user (user_id: git user.name for runs launched by MLTrack, else the OS user). */
  user?: string | null;
}

/** The window a query actually covered, after presets, defaults and coarsening. */
export interface AnalyticsWindow {
  from: number;
  to: number;
  timeZone: string;
  granularity: Granularity;
  /** Why the granularity differs from the one asked for (e.g. "hourly over 365 days is 8,760 periods; shown by day"). */
  note: string | null;
}

export interface TimeSeriesParams extends AnalyticsRangeParams {
  /** Also the best value of this metric per period (over the runs started in it). */
  metricKey?: string | null;
  /** Default: by the key's name (loss/error/... lower, else higher). */
  metricGoal?: 'min' | 'max' | null;
}

/** One period: runs are counted in the period they started; compute hours = wall-clock duration of the runs that
 *  ended (started in the period). */
export interface TimeSeriesBucket {
  start: number;
  end: number;
  /** Local label, e.g. "2026-03-29", "2026-W13", "2026-03", "2026-03-29 14:00". */
  label: string;
  runsStarted: number;
  runsFinished: number;
  runsFailed: number;
  computeHours: number;
  experiments: number;
  users: number;
  metricBest: JsonDouble | null;
  /** The run that reached metricBest. */
  metricBestRunId: string | null;
}

export interface TimeSeriesResult extends AnalyticsWindow {
  buckets: TimeSeriesBucket[];
  metricKey: string | null;
  metricGoal: 'min' | 'max' | null;
  totals: { runsStarted: number; runsFinished: number; runsFailed: number; computeHours: number; experiments: number; users: number };
  /** No run in the window. */
  empty: boolean;
}

export type HeatmapParams = AnalyticsRangeParams;

/** A local calendar day; every day of the window is present, with zeros when idle. */
export interface HeatmapDay {
  /** "YYYY-MM-DD" in the window's time zone. */
  date: string;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  start: number;
  end: number;
  runs: number;
  failed: number;
  experiments: number;
}

export interface HeatmapResult extends AnalyticsWindow {
  days: HeatmapDay[];
  totalRuns: number;
  activeDays: number;
  /** activeDays / days.length (0 when the window has no days). */
  coverage: number;
  longestStreak: number;
  /** Consecutive active days ending on the window's last day (or the day before, when that one is still idle). */
  currentStreak: number;
  maxRuns: number;
  maxExperiments: number;
  empty: boolean;
}

/** What the analytics pickers offer. */
export interface AnalyticsFacetsResult {
  /** Distinct users of active runs, sorted. */
  users: string[];
  /** Distinct metric keys of active runs, sorted (system/* included). */
  metricKeys: string[];
}

/** Production analytics for deployments over a window (traffic from each local endpoint's request log). */
export interface ProductionParams extends AnalyticsRangeParams {
  /** Empty/absent: every deployment. */
  deploymentIds?: string[] | null;
  /** Price of a serving hour per CPU and per GPU, for the cost estimate (defaults: the preferences' prices). */
  cpuHourUsd?: number | null;
  gpuHourUsd?: number | null;
}

export interface ProductionBucket {
  start: number;
  end: number;
  label: string;
  requests: number;
  errors: number;
  /** errors / requests; null without requests. */
  errorRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Serving hours in the period × hourly price. */
  costUsd: number;
}

export interface ProductionDeployment {
  deploymentId: string;
  name: string;
  target: DeploymentTarget;
  runId: string;
  status: DeploymentStatus;
  endpointUrl: string | null;
  /** READY and its /health answered 200 just now; null when not READY (not checked). */
  healthy: boolean | null;
  healthMessage: string | null;
  /** Traffic data exists for this target (local: the request log; Modal: not collected). */
  trafficAvailable: boolean;
  hourlyCostUsd: number;
  totals: { requests: number; errors: number; errorRate: number | null; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null; costUsd: number };
  buckets: ProductionBucket[];
}

export interface ProductionResult extends AnalyticsWindow {
  deployments: ProductionDeployment[];
}

// ---------------------------------------------------------------------------------------------------------------
// reports

export type ReportType = 'executive' | 'technical' | 'cost';
export type ReportFormat = 'md' | 'html';

/** Prices for the cost sections; absent ones are taken from the preferences. */
export interface ReportPrices {
  cpuHourUsd?: number | null;
  gpuHourUsd?: number | null;
}

/** Params of reports/generate: the window as in analytics (from/to or a preset), optionally one experiment. */
export interface ReportGenerateParams extends ReportPrices {
  type: ReportType;
  preset?: RangePreset | null;
  from?: number | null;
  to?: number | null;
  timeZone?: string | null;
  experimentId?: string | null;
}

/** A stored report. The same data and window give the same content (no generation time inside it). */
export interface ReportInfo {
  reportId: string;
  type: ReportType;
  title: string;
  from: number;
  to: number;
  timeZone: string;
  experimentId: string | null;
  createdAt: number;
  /** Bytes of the HTML rendering. */
  sizeBytes: number;
  /** Count of insights found. */
  insights: number;
}

/** Params of reports/list: reports whose window overlaps [from, to) (both optional), newest first. */
export interface ReportListParams {
  from?: number | null;
  to?: number | null;
  type?: ReportType | null;
}

export interface ReportIdParams {
  reportId: string;
}

/** Params of reports/content: the report as one self-contained document (HTML with inline SVG charts; Markdown
 *  with PNG charts as data: URIs). */
export interface ReportContentParams {
  reportId: string;
  format: ReportFormat;
}

export interface ReportContent {
  info: ReportInfo;
  format: ReportFormat;
  content: string;
}

/** Params of reports/export (not callable from panels: the extension asks for the path with a save dialog).
 *  Markdown writes its PNG charts into "<name>_files/" beside the file. */
export interface ReportExportParams {
  reportId: string;
  format: ReportFormat;
  path: string;
}

export interface ReportExportResult {
  /** Every file written, the report first. */
  files: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// preferences (VS Code: the mltrack.* settings, pushed to panels by the extension; browser UI: kept by the backend per user)

export interface Preferences {
  /** Browser UI only (VS Code panels follow VS Code's theme). */
  theme: 'auto' | 'light' | 'dark';
  notifications: 'all' | 'failures' | 'none';
  chartXAxis: 'step' | 'wall' | 'relative';
  /** EMA weight 0 (none) … 0.99. */
  chartSmoothing: number;
  /** Run colours in order (CSS colours); empty: the built-in palette. */
  runColors: string[];
  tableDensity: 'compact' | 'normal' | 'comfortable';
  reportType: ReportType;
  cpuHourUsd: number;
  gpuHourUsd: number;
}

export interface PreferencesGetParams {
  /** Default: the user the backend runs as. */
  user?: string | null;
}

/** Params of preferences/set: the fields to change (others keep their values); invalid values are refused by name. */
export interface PreferencesSetParams {
  user?: string | null;
  values: Partial<Preferences>;
}

export interface PreferencesResult {
  user: string;
  preferences: Preferences;
}

/** Sent to every client of the backend when a user's preferences change. */
export type PreferencesChangedParams = PreferencesResult;

// ---------------------------------------------------------------------------------------------------------------
// names

/** Every request: method name → params and result. `void` params: send none; `null` result: nothing useful. */
export interface Requests {
  'initialize': { params: InitializeParams; result: InitializeResult };
  'shutdown': { params: void; result: null };
  'experiments/list': { params: ExperimentsListParams | void; result: ExperimentInfo[] };
  'runs/list': { params: RunsListParams | void; result: RunsListResult };
  'runs/get': { params: RunIdParams; result: RunDetail };
  'runs/launch': { params: LaunchParams; result: LaunchResult };
  'runs/stop': { params: RunIdParams; result: StopResult };
  'runs/delete': { params: RunIdParams; result: null };
  'runs/restore': { params: RunIdParams; result: null };
  'runs/setTag': { params: SetTagParams; result: null };
  'runs/deleteTag': { params: DeleteTagParams; result: null };
  'metrics/history': { params: MetricHistoryParams; result: MetricHistoryResult };
  'metrics/historyMany': { params: MetricHistoryManyParams; result: MetricHistoryManyResult };
  'metrics/keys': { params: RunIdParams; result: MetricSummary[] };
  'metrics/latest': { params: MetricLatestParams; result: MetricLatestResult };
  'search/query': { params: SearchQueryParams; result: SearchQueryResult };
  'lineage/graph': { params: LineageParams; result: LineageGraph };
  'runs/codeDiff': { params: CodeDiffParams; result: CodeDiffResult };
  'artifacts/read': { params: ArtifactReadParams; result: ArtifactContent };
  'deployments/create': { params: DeploymentCreateParams; result: DeploymentInfo };
  'deployments/list': { params: DeploymentListParams | void; result: DeploymentInfo[] };
  'deployments/get': { params: DeploymentIdParams; result: DeploymentInfo };
  'deployments/stop': { params: DeploymentIdParams; result: DeploymentInfo };
  'deployments/delete': { params: DeploymentIdParams; result: null };
  'deployments/openapi': { params: DeploymentIdParams; result: DeploymentOpenApiResult };
  'deployments/logs': { params: DeploymentIdParams; result: DeploymentLogsResult };
  'deployments/canDeploy': { params: CanDeployParams; result: CanDeployResult };
  'analytics/timeSeries': { params: TimeSeriesParams | void; result: TimeSeriesResult };
  'analytics/heatmap': { params: HeatmapParams | void; result: HeatmapResult };
  'analytics/facets': { params: void; result: AnalyticsFacetsResult };
  'analytics/production': { params: ProductionParams | void; result: ProductionResult };
  'reports/generate': { params: ReportGenerateParams; result: ReportInfo };
  'reports/list': { params: ReportListParams | void; result: ReportInfo[] };
  'reports/content': { params: ReportContentParams; result: ReportContent };
  'reports/export': { params: ReportExportParams; result: ReportExportResult };
  'reports/delete': { params: ReportIdParams; result: null };
  'preferences/get': { params: PreferencesGetParams | void; result: PreferencesResult };
  'preferences/set': { params: PreferencesSetParams; result: PreferencesResult };
}

/** Every notification the backend sends: name → params. */
export interface Notifications {
  'runs/changed': RunChangedParams;
  'log/append': LogAppendParams;
  'deployments/changed': DeploymentChangedParams;
  'preferences/changed': PreferencesChangedParams;
}

export type RequestMethod = keyof Requests;
export type NotificationMethod = keyof Notifications;
export type ParamsOf<M extends RequestMethod> = Requests[M]['params'];
export type ResultOf<M extends RequestMethod> = Requests[M]['result'];

/** Method names as constants, for code that prefers identifiers to string literals. */
export const Method = {
  initialize: 'initialize',
  shutdown: 'shutdown',
  experimentsList: 'experiments/list',
  runsList: 'runs/list',
  runsGet: 'runs/get',
  runsLaunch: 'runs/launch',
  runsStop: 'runs/stop',
  runsDelete: 'runs/delete',
  runsRestore: 'runs/restore',
  runsSetTag: 'runs/setTag',
  runsDeleteTag: 'runs/deleteTag',
  metricsHistory: 'metrics/history',
  metricsHistoryMany: 'metrics/historyMany',
  metricsKeys: 'metrics/keys',
  metricsLatest: 'metrics/latest',
  searchQuery: 'search/query',
  lineageGraph: 'lineage/graph',
  runsCodeDiff: 'runs/codeDiff',
  artifactsRead: 'artifacts/read',
  deploymentsCreate: 'deployments/create',
  deploymentsList: 'deployments/list',
  deploymentsGet: 'deployments/get',
  deploymentsStop: 'deployments/stop',
  deploymentsDelete: 'deployments/delete',
  deploymentsOpenApi: 'deployments/openapi',
  deploymentsLogs: 'deployments/logs',
  deploymentsCanDeploy: 'deployments/canDeploy',
  analyticsTimeSeries: 'analytics/timeSeries',
  analyticsHeatmap: 'analytics/heatmap',
  analyticsFacets: 'analytics/facets',
  analyticsProduction: 'analytics/production',
  reportsGenerate: 'reports/generate',
  reportsList: 'reports/list',
  reportsContent: 'reports/content',
  reportsExport: 'reports/export',
  reportsDelete: 'reports/delete',
  preferencesGet: 'preferences/get',
  preferencesSet: 'preferences/set',
} as const satisfies Record<string, RequestMethod>;

export const Notification = {
  runsChanged: 'runs/changed',
  logAppend: 'log/append',
  deploymentsChanged: 'deployments/changed',
  preferencesChanged: 'preferences/changed',
} as const satisfies Record<string, NotificationMethod>;

// ---------------------------------------------------------------------------------------------------------------
// errors

/**
 * JSON-RPC error codes. Standard ones keep their meaning (the backend stays up after each). Application errors
 * carry `data: { errorCode: string }` with the MLflow-style name (RESOURCE_DOES_NOT_EXIST, ...); InvalidFilter
 * adds `data.position`: the 0-based character offset of the problem in the filter/orderBy text.
 */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** A method was called before initialize. */
  NotInitialized: -32002,
  ResourceDoesNotExist: 1001,
  ResourceAlreadyExists: 1002,
  InvalidParameterValue: 1003,
  InvalidState: 1004,
  StoreUnavailable: 1005,
  InvalidFilter: 1006,
  /** The signed-in user may see the resource but not do this to it (a viewer's write). */
  PermissionDenied: 1007,
} as const;

export interface ErrorData {
  errorCode: string;
  /** InvalidFilter only. */
  position?: number;
}
