// Pure UI formatting helpers: no `vscode` import, no I/O, so node's test runner covers them directly.
// Nothing here decides anything about runs or metrics: the backend does; these only turn its answers into text.
import type { MetricLatestResult } from './protocol';

/** Numbers as the backend may send them: JSON numbers, or "NaN" / "Infinity" / "-Infinity" strings. */
export type WireNumber = number | string | null | undefined;

export function toNumber(v: WireNumber): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity' || v === '+Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    const n = Number(v);
    return v.trim() === '' ? NaN : n;
  }
  return NaN;
}

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * A Unicode-block sparkline of `values`, one character per value (the last `width` values when there are more).
 * NaN (and ±Infinity) show as a space; a flat series shows as mid-height blocks.
 */
export function sparkline(values: readonly WireNumber[], width = 40): string {
  const vs = values.slice(Math.max(0, values.length - width)).map(toNumber);
  const finite = vs.filter(Number.isFinite);
  if (finite.length === 0) return vs.map(() => ' ').join('');
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of finite) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  return vs
    .map((v) => {
      if (!Number.isFinite(v)) return ' ';
      if (span === 0) return BLOCKS[3];
      const i = Math.round(((v - lo) / span) * (BLOCKS.length - 1));
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.max(0, i))];
    })
    .join('');
}

/** A metric value for display: up to 4 significant digits, exponent form for very large/small magnitudes. */
export function formatValue(v: WireNumber): string {
  const n = toNumber(v);
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '∞';
  if (n === -Infinity) return '-∞';
  if (n === 0) return '0';
  const a = Math.abs(n);
  if (Number.isInteger(n) && a < 1e9) return String(n);
  if (a >= 1e6 || a < 1e-4) return n.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(n.toPrecision(4)));
}

/** "just now", "42s ago", "5m ago", "3h ago", "2d ago", "3w ago", or a date for anything older than ~8 weeks. */
export function formatAge(timeMs: number, nowMs: number): string {
  const s = Math.floor((nowMs - timeMs) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ago`;
  const d = Math.floor(h / 24);
  if (d < 14) return `${d}d ago`;
  if (d < 56) return `${Math.floor(d / 7)}w ago`;
  return new Date(timeMs).toISOString().slice(0, 10);
}

/** "850ms", "12s", "3m 05s", "2h 07m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, '0')}m`;
}

/** The first 8 characters of a run id, as shown next to names. */
export function shortId(runId: string): string {
  return runId.slice(0, 8);
}

/** A run's label: its name when it has one, else its short id. */
export function runLabel(run: { runId: string; name?: string | null }): string {
  const name = run.name?.trim();
  return name ? name : shortId(run.runId);
}

export type RunStatusName = 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED' | 'CRASHED' | string;

/** Codicon id and theme colour id for a run status. */
export function statusIcon(status: RunStatusName): { id: string; color?: string } {
  switch (status) {
    case 'RUNNING':
      return { id: 'sync~spin', color: 'charts.blue' };
    case 'FINISHED':
      return { id: 'check', color: 'testing.iconPassed' };
    case 'FAILED':
      return { id: 'error', color: 'testing.iconFailed' };
    case 'KILLED':
      return { id: 'circle-slash', color: 'disabledForeground' };
    case 'CRASHED':
      return { id: 'warning', color: 'problemsWarningIcon.foreground' };
    default:
      return { id: 'circle-outline' };
  }
}

/** A metric summary as far as the UI needs it. */
export interface MetricLike {
  key: string;
  latest?: WireNumber;
  value?: WireNumber;
}

/**
 * The metric to show beside a run's name: a validation/test metric first, then an accuracy/loss-like one,
 * never a system metric; ties broken alphabetically. A display choice only.
 */
export function keyMetric<T extends MetricLike>(metrics: readonly T[] | undefined): T | undefined {
  if (!metrics || metrics.length === 0) return undefined;
  const rank = (k: string): number => {
    const l = k.toLowerCase();
    if (l.startsWith('system/') || l.startsWith('system.')) return 9;
    const evalSet = /^(val|valid|validation|eval|test)[_/.-]/.test(l);
    const score = /(acc|accuracy|f1|auc|loss|error|rmse|mse|mae|r2|bleu|map)/.test(l);
    if (evalSet && score) return 0;
    if (evalSet) return 1;
    if (score) return 2;
    return 3;
  };
  return [...metrics].sort((a, b) => rank(a.key) - rank(b.key) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))[0];
}

/** "val_loss 0.231" for a metric summary. */
export function metricText(m: MetricLike | undefined): string {
  if (!m) return '';
  return `${m.key} ${formatValue(m.latest ?? m.value)}`;
}

/** A run's tree description: "val_acc 0.91 · 5m ago" (or "· running 12s" while running). */
export function runDescription(
  run: { status: RunStatusName; startTime: number; endTime?: number | null; metrics?: readonly MetricLike[] },
  nowMs: number,
): string {
  const parts: string[] = [];
  const km = keyMetric(run.metrics);
  if (km) parts.push(metricText(km));
  if (run.status === 'RUNNING') parts.push(`running ${formatDuration(nowMs - run.startTime)}`);
  else parts.push(formatAge(run.endTime ?? run.startTime, nowMs));
  return parts.join(' · ');
}

/** Markdown-escape text placed in a MarkdownString (names, keys, run labels come from user code). */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => '\\' + c);
}

/** HTML-escape for the plain webview tables. */
export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A `command:` URI with JSON-encoded arguments, for MarkdownString links. */
export function commandUri(command: string, ...args: unknown[]): string {
  return args.length === 0 ? `command:${command}` : `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;
}

export interface HoverData {
  key: string;
  /** 'min' when lower is better (the backend says), else 'max'. */
  direction: 'min' | 'max' | string;
  latest?: { value: WireNumber; step?: number; runId: string; runName?: string | null; status?: string; time?: number };
  best?: { value: WireNumber; step?: number; runId: string; runName?: string | null };
  /** The last values of the latest run's series, oldest first. */
  history?: readonly WireNumber[];
  /** How many runs logged this metric, when the backend says. */
  runCount?: number;
}

/** The metric hover as Markdown. `openRun`/`showChart` are command ids for the links. */
export function hoverMarkdown(
  d: HoverData,
  nowMs: number,
  commands: { openRun: string; showChart: string } = { openRun: 'mltrack.openRun', showChart: 'mltrack.showChart' },
): string {
  const lines: string[] = [];
  lines.push(`**MLTrack** · metric \`${d.key.replace(/`/g, "'")}\``);
  lines.push('');
  if (!d.latest) {
    lines.push('No run has logged this metric yet.');
    return lines.join('\n');
  }
  const l = d.latest;
  const runName = escapeMarkdown(runLabel({ runId: l.runId, name: l.runName }));
  const where = [`step ${l.step ?? '?'}`];
  if (l.time !== undefined) where.push(formatAge(l.time, nowMs));
  lines.push(`Latest: **${formatValue(l.value)}** (${where.join(', ')})  `);
  if (d.best) {
    const bestName =
      d.best.runId === l.runId ? 'same run' : escapeMarkdown(runLabel({ runId: d.best.runId, name: d.best.runName }));
    lines.push(`Best (${d.direction === 'min' ? 'min' : 'max'}): **${formatValue(d.best.value)}** (${bestName})  `);
  }
  lines.push(`Run: ${runName}${l.status ? ` · ${l.status}` : ''} \`${shortId(l.runId)}\``);
  if (d.history && d.history.length > 0) {
    lines.push('');
    lines.push('`' + sparkline(d.history) + '`');
  }
  lines.push('');
  const links = [
    `[Open run](${commandUri(commands.openRun, l.runId)})`,
    `[Show chart](${commandUri(commands.showChart, l.runId, d.key)})`,
  ];
  if (d.best && d.best.runId !== l.runId) links.push(`[Open best run](${commandUri(commands.openRun, d.best.runId)})`);
  lines.push(links.join(' · '));
  return lines.join('\n');
}

/** The `⟳ Last run` lens title. */
export function lastRunLensTitle(run: { status: RunStatusName; metrics?: readonly MetricLike[] }): string {
  const km = keyMetric(run.metrics);
  return `⟳ Last run: ${run.status}${km ? ' ' + metricText(km) : ''}`;
}

/** The status bar text for N running runs. */
export function runningText(n: number): string {
  return n === 0 ? '$(beaker) MLTrack' : `$(sync~spin) ${n} running`;
}

/** The metric hover for a `metrics/latest` answer. The time shown is that of the latest run's last point. */
export function hoverFromLatest(r: MetricLatestResult, nowMs: number): string {
  const lastPoint = r.sparkline.length > 0 ? r.sparkline[r.sparkline.length - 1] : undefined;
  return hoverMarkdown(
    {
      key: r.key,
      direction: r.lowerIsBetter ? 'min' : 'max',
      latest: r.latest
        ? { value: r.latest.value, step: r.latest.step, runId: r.latest.runId, runName: r.latest.runName, status: r.latest.status, time: lastPoint?.timestamp }
        : undefined,
      best: r.best ? { value: r.best.value, step: r.best.step, runId: r.best.runId, runName: r.best.runName } : undefined,
      history: r.sparkline.map((p) => p.value),
      runCount: r.recent.length,
    },
    nowMs,
  );
}

/**
 * Splits a POSIX-shell-quoted command line (as the backend records `command`) back into argv:
 * single quotes literal, double quotes with backslash escapes, backslash escapes outside quotes.
 */
export function splitCommandLine(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "'") {
      const j = s.indexOf("'", i + 1);
      const end = j < 0 ? s.length : j;
      cur += s.slice(i + 1, end);
      has = true;
      i = end;
    } else if (c === '"') {
      has = true;
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === '\\' && j + 1 < s.length && '"\\$`\n'.includes(s[j + 1])) j++;
        cur += s[j];
      }
      i = j;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else if (c === ' ' || c === '\t' || c === '\n') {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}
