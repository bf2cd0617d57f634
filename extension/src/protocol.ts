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
}

/** Every notification the backend sends: name → params. */
export interface Notifications {
  'runs/changed': RunChangedParams;
  'log/append': LogAppendParams;
  'deployments/changed': DeploymentChangedParams;
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
} as const satisfies Record<string, RequestMethod>;

export const Notification = {
  runsChanged: 'runs/changed',
  logAppend: 'log/append',
  deploymentsChanged: 'deployments/changed',
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
} as const;

export interface ErrorData {
  errorCode: string;
  /** InvalidFilter only. */
  position?: number;
}
