// The runs table's column model (pure logic, unit-tested): columns discovered from runs/list rows, the user's
// layout (order, hidden, pinned, widths), sort keys for runs/list orderBy, cell values and grouping.
import type { JsonDouble, RunRow } from '../../../../extension/src/protocol';
import { csvField } from '../../dom';

export type ColumnKind = 'attr' | 'param' | 'metric' | 'metricMin' | 'metricMax';

export interface Column {
  /** Stable id: "attr:name", "param:lr", "metric:acc", "metricMin:loss", "metricMax:acc". */
  id: string;
  kind: ColumnKind;
  /** Attribute name, param or metric key. */
  key: string;
  label: string;
  /** Server orderBy identifier (without direction), or null when not sortable server-side. */
  orderKey: string | null;
  numeric: boolean;
  width: number;
}

export interface ColumnLayout {
  /** Column ids in display order (unknown ids are ignored; new columns go after the known ones of their kind). */
  order: string[];
  hidden: string[];
  pinned: string[];
  widths: Record<string, number>;
  /** Metric keys whose min/max columns are shown (fetched on demand). */
  minMax: string[];
}

export const emptyLayout = (): ColumnLayout => ({ order: [], hidden: [], pinned: [], widths: {}, minMax: [] });

/** Quotes a param/metric/tag key for the MLflow filter/orderBy syntax when it is not a plain identifier. */
export function quoteKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(key) ? key : '`' + key.replace(/`/g, '``') + '`';
}

interface AttrDef {
  key: string;
  label: string;
  orderKey: string | null;
  numeric: boolean;
  width: number;
  hiddenByDefault?: boolean;
}
export const ATTRIBUTES: AttrDef[] = [
  { key: 'name', label: 'Name', orderKey: 'attributes.run_name', numeric: false, width: 180 },
  { key: 'status', label: 'Status', orderKey: 'attributes.status', numeric: false, width: 90 },
  { key: 'experiment', label: 'Experiment', orderKey: 'attributes.experiment_id', numeric: false, width: 130 },
  { key: 'start', label: 'Started', orderKey: 'attributes.start_time', numeric: true, width: 160 },
  { key: 'duration', label: 'Duration', orderKey: null, numeric: true, width: 80 },
  { key: 'user', label: 'User', orderKey: 'attributes.user_id', numeric: false, width: 90, hiddenByDefault: true },
  { key: 'source', label: 'Source', orderKey: 'attributes.source_file', numeric: false, width: 140, hiddenByDefault: true },
  { key: 'runId', label: 'Run ID', orderKey: 'attributes.run_id', numeric: false, width: 90, hiddenByDefault: true },
];

/** Params and metrics beyond these counts start hidden (they stay one click away in the column menu). */
export const DEFAULT_VISIBLE_PARAMS = 12;
export const DEFAULT_VISIBLE_METRICS = 12;

export interface DiscoveredKeys {
  params: string[];
  metrics: string[];
}

/** Every param and metric key in the rows, sorted. */
export function discoverKeys(rows: readonly RunRow[], into?: DiscoveredKeys): DiscoveredKeys {
  const p = new Set(into?.params ?? []);
  const m = new Set(into?.metrics ?? []);
  for (const r of rows) {
    for (const k in r.params) p.add(k);
    for (const k in r.metrics) m.add(k);
  }
  const cmp = (a: string, b: string) => a.localeCompare(b);
  return { params: [...p].sort(cmp), metrics: [...m].sort(cmp) };
}

/** All columns for the discovered keys, in default order (attributes, params, metrics, min/max pairs). */
export function allColumns(keys: DiscoveredKeys, layout: ColumnLayout): Column[] {
  const w = (id: string, d: number) => layout.widths[id] ?? d;
  const cols: Column[] = ATTRIBUTES.map((a) => ({
    id: `attr:${a.key}`, kind: 'attr', key: a.key, label: a.label, orderKey: a.orderKey, numeric: a.numeric, width: w(`attr:${a.key}`, a.width),
  }));
  for (const k of keys.params)
    cols.push({ id: `param:${k}`, kind: 'param', key: k, label: k, orderKey: `params.${quoteKey(k)}`, numeric: false, width: w(`param:${k}`, 90) });
  for (const k of keys.metrics) {
    cols.push({ id: `metric:${k}`, kind: 'metric', key: k, label: k, orderKey: `metrics.${quoteKey(k)}`, numeric: true, width: w(`metric:${k}`, 90) });
    if (layout.minMax.includes(k)) {
      cols.push({ id: `metricMin:${k}`, kind: 'metricMin', key: k, label: `${k} (min)`, orderKey: null, numeric: true, width: w(`metricMin:${k}`, 90) });
      cols.push({ id: `metricMax:${k}`, kind: 'metricMax', key: k, label: `${k} (max)`, orderKey: null, numeric: true, width: w(`metricMax:${k}`, 90) });
    }
  }
  return cols;
}

/** Is the column hidden, by the layout or by default? */
export function isHidden(col: Column, layout: ColumnLayout, keys: DiscoveredKeys): boolean {
  if (layout.hidden.includes(col.id)) return true;
  if (layout.order.includes(col.id)) return false;
  if (col.kind === 'attr') return ATTRIBUTES.find((a) => a.key === col.key)?.hiddenByDefault === true;
  if (col.kind === 'param') return keys.params.indexOf(col.key) >= DEFAULT_VISIBLE_PARAMS;
  if (col.kind === 'metric') return keys.metrics.indexOf(col.key) >= DEFAULT_VISIBLE_METRICS;
  return false;
}

/**
 * The columns to show, in order: pinned ones first (in their layout order), then the rest. Columns named in
 * layout.order keep that order; the others keep their default order, each inserted after its default predecessor.
 */
export function orderedColumns(all: Column[], layout: ColumnLayout): Column[] {
  const rank = new Map(layout.order.map((id, i) => [id, i] as const));
  // Merge: known ids in layout order; unknown ones slot in after the last column preceding them by default.
  const out: Column[] = [];
  const known = all.filter((c) => rank.has(c.id)).sort((a, b) => rank.get(a.id)! - rank.get(b.id)!);
  const unknown = all.filter((c) => !rank.has(c.id));
  out.push(...known);
  for (const c of unknown) {
    const di = all.indexOf(c);
    let at = 0;
    for (let j = di - 1; j >= 0; j--) {
      const pi = out.indexOf(all[j]!);
      if (pi >= 0) {
        at = pi + 1;
        break;
      }
    }
    out.splice(at, 0, c);
  }
  const pinned = out.filter((c) => layout.pinned.includes(c.id));
  return [...pinned, ...out.filter((c) => !layout.pinned.includes(c.id))];
}

export function visibleColumns(all: Column[], layout: ColumnLayout, keys: DiscoveredKeys): Column[] {
  return orderedColumns(all, layout).filter((c) => !isHidden(c, layout, keys));
}

/** Moves column `id` to just before `beforeId` (or to the end) in the layout's order; returns a new layout. */
export function moveColumn(all: Column[], layout: ColumnLayout, id: string, beforeId: string | null): ColumnLayout {
  const ids = orderedColumns(all, layout).map((c) => c.id).filter((x) => x !== id);
  const at = beforeId === null ? ids.length : Math.max(0, ids.indexOf(beforeId));
  ids.splice(at === -1 ? ids.length : at, 0, id);
  return { ...layout, order: ids };
}

export function setHidden(layout: ColumnLayout, all: Column[], keys: DiscoveredKeys, id: string, hidden: boolean): ColumnLayout {
  // Record every currently shown column in order so defaults stop applying to them.
  const order = orderedColumns(all, layout).map((c) => c.id);
  const hiddenSet = new Set(layout.hidden);
  for (const c of all) if (isHidden(c, layout, keys)) hiddenSet.add(c.id);
  if (hidden) hiddenSet.add(id);
  else hiddenSet.delete(id);
  return { ...layout, order, hidden: [...hiddenSet] };
}

export function setPinned(layout: ColumnLayout, id: string, pinned: boolean): ColumnLayout {
  const p = layout.pinned.filter((x) => x !== id);
  if (pinned) p.push(id);
  return { ...layout, pinned: p };
}

/** Min/max of one metric of one run, fetched on demand (runs/get). */
export type MinMaxCache = Map<string, Record<string, { min: JsonDouble; max: JsonDouble }>>;

/** A cell's raw value: string, number (NaN/±Infinity for non-finite metrics) or undefined when absent. */
export function cellValue(row: RunRow, col: Column, minMax?: MinMaxCache): string | number | undefined {
  switch (col.kind) {
    case 'attr':
      switch (col.key) {
        case 'name': return row.name ?? undefined;
        case 'status': return row.status;
        case 'experiment': return row.experimentName;
        case 'start': return row.startTime;
        case 'duration': return row.durationMs ?? (row.status === 'RUNNING' ? Date.now() - row.startTime : undefined);
        case 'user': return row.user ?? undefined;
        case 'source': return row.sourceFile ?? undefined;
        case 'runId': return row.runId;
      }
      return undefined;
    case 'param':
      return row.params[col.key];
    case 'metric': {
      const v = row.metrics[col.key];
      return v === undefined ? undefined : typeof v === 'string' ? Number(v) : v;
    }
    case 'metricMin':
    case 'metricMax': {
      const mm = minMax?.get(row.runId)?.[col.key];
      if (!mm) return undefined;
      const v = col.kind === 'metricMin' ? mm.min : mm.max;
      return typeof v === 'string' ? Number(v) : v;
    }
  }
}

/** Client-side comparison for columns the server cannot sort (duration, min/max); absent values last. */
export function compareRows(a: RunRow, b: RunRow, col: Column, desc: boolean, minMax?: MinMaxCache): number {
  const va = cellValue(a, col, minMax);
  const vb = cellValue(b, col, minMax);
  const ma = va === undefined || (typeof va === 'number' && Number.isNaN(va));
  const mb = vb === undefined || (typeof vb === 'number' && Number.isNaN(vb));
  if (ma || mb) return ma === mb ? 0 : ma ? 1 : -1;
  let c: number;
  if (typeof va === 'number' && typeof vb === 'number') c = va - vb;
  else {
    const na = Number(va), nb = Number(vb);
    c = !Number.isNaN(na) && !Number.isNaN(nb) && va !== '' && vb !== '' ? na - nb : String(va).localeCompare(String(vb));
  }
  return desc ? -c : c;
}

export interface SortSpec {
  columnId: string;
  desc: boolean;
}

/** runs/list orderBy for a sort, or null when the column must be sorted client-side. */
export function orderByFor(sort: SortSpec | null, cols: Column[]): string[] | null {
  if (!sort) return null;
  const col = cols.find((c) => c.id === sort.columnId);
  if (!col?.orderKey) return null;
  return [`${col.orderKey} ${sort.desc ? 'DESC' : 'ASC'}`];
}

export type GroupBy = { kind: 'none' } | { kind: 'experiment' } | { kind: 'param'; key: string };

export interface GroupHeader {
  group: true;
  key: string;
  label: string;
  count: number;
  collapsed: boolean;
}
export type DisplayItem = RunRow | GroupHeader;

export const isGroupHeader = (x: DisplayItem): x is GroupHeader => (x as GroupHeader).group === true;

/**
 * Rows → display items: with grouping, a header per group (first-appearance order, so the server's sort decides
 * group order by each group's best row) followed by its rows unless collapsed.
 */
export function groupRows(rows: readonly RunRow[], by: GroupBy, collapsed: ReadonlySet<string>): DisplayItem[] {
  if (by.kind === 'none') return rows as RunRow[];
  const groups = new Map<string, { label: string; rows: RunRow[] }>();
  for (const r of rows) {
    let key: string, label: string;
    if (by.kind === 'experiment') {
      key = `e:${r.experimentId}`;
      label = r.experimentName || r.experimentId;
    } else {
      const v = r.params[by.key];
      key = v === undefined ? 'p:' : `p=${v}`;
      label = v === undefined ? `${by.key} not set` : `${by.key} = ${v}`;
    }
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { label, rows: [] }));
    g.rows.push(r);
  }
  const out: DisplayItem[] = [];
  for (const [key, g] of groups) {
    const c = collapsed.has(key);
    out.push({ group: true, key, label: g.label, count: g.rows.length, collapsed: c });
    if (!c) for (const r of g.rows) out.push(r);
  }
  return out;
}


/** The table as CSV: the given columns, a run_id column first. */
export function rowsToCsv(rows: readonly RunRow[], cols: Column[], minMax?: MinMaxCache): string {
  const lines = [['run_id', ...cols.filter((c) => c.id !== 'attr:runId').map((c) => (c.kind === 'attr' ? c.key : c.id.replace(':', '.')))].map(csvField).join(',')];
  const data = cols.filter((c) => c.id !== 'attr:runId');
  for (const r of rows) lines.push([r.runId, ...data.map((c) => cellValue(r, c, minMax))].map(csvField).join(','));
  return lines.join('\n') + '\n';
}
