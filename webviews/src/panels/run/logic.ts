// Pure logic of the run page: metric sections, sizes, artifact kinds, the log buffer with search and windowing.
import type { MetricSummary, RunFile } from '../../../../extension/src/protocol';

export const SYSTEM_PREFIX = 'system/';

/** Training metrics and system metrics (system/* keys), each sorted by key. */
export function splitMetrics(metrics: MetricSummary[]): { user: MetricSummary[]; system: MetricSummary[] } {
  const sorted = [...metrics].sort((a, b) => a.key.localeCompare(b.key));
  return {
    user: sorted.filter((m) => !m.key.startsWith(SYSTEM_PREFIX)),
    system: sorted.filter((m) => m.key.startsWith(SYSTEM_PREFIX)),
  };
}

/** Bytes → "512 B", "1.5 KB", "3.2 MB" (powers of 1024). */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB', 'PB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

export type ArtifactKind = 'image' | 'csv' | 'text' | 'other';

/** What a preview of the artifact would be, from its extension. */
export function artifactKind(path: string): ArtifactKind {
  const ext = (path.match(/\.([^./\\]+)$/)?.[1] ?? '').toLowerCase();
  if (['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp'].includes(ext)) return 'image';
  if (['csv', 'tsv'].includes(ext)) return 'csv';
  if (['txt', 'log', 'md', 'json', 'yaml', 'yml', 'diff', 'patch', 'py', 'toml', 'ini', 'cfg', 'xml', 'html', 'sh', 'jsonl'].includes(ext)) return 'text';
  return 'other';
}

/** Tags MLTrack/MLflow set themselves: shown read-only. */
export function isSystemTag(key: string): boolean {
  return key.startsWith('mlflow.') || key.startsWith('mltrack.');
}

/** A tag key a user may set: non-empty, at most 250 characters (MLflow's limit), not a system tag. */
export function tagKeyError(key: string): string | null {
  const k = key.trim();
  if (!k) return 'A tag needs a key.';
  if (k.length > 250) return 'Tag keys are at most 250 characters.';
  if (isSystemTag(k)) return 'Keys starting with mlflow. or mltrack. are reserved.';
  return null;
}

/** Inputs then outputs, each by path. */
export function splitFiles(files: RunFile[]): { inputs: RunFile[]; outputs: RunFile[] } {
  const by = (a: RunFile, b: RunFile) => a.path.localeCompare(b.path);
  return {
    inputs: files.filter((f) => f.direction === 'input').sort(by),
    outputs: files.filter((f) => f.direction === 'output').sort(by),
  };
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** The lines of a run's output, with a bounded size (oldest dropped) and a case-insensitive search. */
export class LogBuffer {
  readonly lines: LogLine[] = [];
  dropped = 0;
  constructor(readonly maxLines = 200_000) {}

  append(stream: 'stdout' | 'stderr', lines: string[]): void {
    for (const text of lines) this.lines.push({ stream, text });
    const over = this.lines.length - this.maxLines;
    if (over > 0) {
      this.lines.splice(0, over);
      this.dropped += over;
    }
  }

  /** Indices of the lines containing `query` (case-insensitive); every index when the query is empty. */
  search(query: string): number[] {
    const q = query.toLowerCase();
    const out: number[] = [];
    for (let i = 0; i < this.lines.length; i++) if (!q || this.lines[i]!.text.toLowerCase().includes(q)) out.push(i);
    return out;
  }
}

/** The rows to render in a virtualized list: [first, last) with `overscan` extra rows on each side. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan = 10): [number, number] {
  if (count <= 0 || rowHeight <= 0) return [0, 0];
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return [first, Math.max(first, last)];
}

/** Splits a line into [before, match, after, ...] segments for highlighting `query` (case-insensitive). */
export function splitMatches(text: string, query: string): { text: string; match: boolean }[] {
  if (!query) return [{ text, match: false }];
  const out: { text: string; match: boolean }[] = [];
  const lower = text.toLowerCase();
  const q = query.toLowerCase();
  let pos = 0;
  for (let i = lower.indexOf(q); i >= 0; i = lower.indexOf(q, i + q.length)) {
    if (i > pos) out.push({ text: text.slice(pos, i), match: false });
    out.push({ text: text.slice(i, i + q.length), match: true });
    pos = i + q.length;
  }
  if (pos < text.length) out.push({ text: text.slice(pos), match: false });
  return out;
}

/** Run duration: the recorded one, or (running) the time since start. */
export function runDuration(run: { durationMs: number | null; startTime: number; endTime: number | null; status: string }, now: number): number | null {
  if (run.durationMs !== null && run.durationMs !== undefined) return run.durationMs;
  if (run.status === 'RUNNING') return Math.max(0, now - run.startTime);
  if (run.endTime !== null && run.endTime !== undefined) return run.endTime - run.startTime;
  return null;
}
