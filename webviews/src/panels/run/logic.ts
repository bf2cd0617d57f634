// Pure logic of the run page: metric sections, sizes, artifact kinds, the log buffer with search and windowing,
// paging a log artifact backwards, merging it with live lines, artifact previews (bytes, CSV).
import type { ArtifactContent, MetricSummary, RunFile } from '../../../../extension/src/protocol';

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

export type ArtifactKind = 'image' | 'csv' | 'json' | 'text' | 'other';

const extOf = (path: string) => (path.match(/\.([^./\\]+)$/)?.[1] ?? '').toLowerCase();

/** What a preview of the artifact would be, from its extension. */
export function artifactKind(path: string): ArtifactKind {
  const ext = extOf(path);
  if (['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp'].includes(ext)) return 'image';
  if (['csv', 'tsv'].includes(ext)) return 'csv';
  if (ext === 'json') return 'json';
  if (['txt', 'log', 'md', 'yaml', 'yml', 'diff', 'patch', 'py', 'toml', 'ini', 'cfg', 'xml', 'html', 'sh', 'jsonl'].includes(ext)) return 'text';
  return 'other';
}

/** The MIME type of an image artifact, for a data: URL. */
export function imageMime(path: string): string {
  const ext = extOf(path);
  return ext === 'svg' ? 'image/svg+xml' : ext === 'jpg' ? 'image/jpeg' : `image/${ext || 'png'}`;
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

  /** Earlier lines (from the log file), put before the others; as many as fit. Returns how many were added. */
  prepend(stream: 'stdout' | 'stderr', lines: string[]): number {
    const room = Math.max(0, this.maxLines - this.lines.length);
    const take = lines.slice(Math.max(0, lines.length - room));
    const later = this.lines.splice(0);
    for (const text of take) this.lines.push({ stream, text });
    for (const l of later) this.lines.push(l);
    return take.length;
  }

  /** No room for earlier lines. */
  get full(): boolean {
    return this.lines.length >= this.maxLines;
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

// ---- artifact bytes -------------------------------------------------------------------------------------------------

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** The bytes of an artifacts/read answer, whichever its encoding. */
export function contentBytes(c: Pick<ArtifactContent, 'data' | 'encoding'>): Uint8Array {
  return c.encoding === 'base64' ? base64ToBytes(c.data) : new TextEncoder().encode(c.data);
}

/** A data: URL for an image artifact (svg arrives as text, the others as base64). */
export function imageDataUrl(path: string, c: Pick<ArtifactContent, 'data' | 'encoding'>): string {
  const b64 = c.encoding === 'base64' ? c.data : bytesToBase64(new TextEncoder().encode(c.data));
  return `data:${imageMime(path)};base64,${b64}`;
}

export type ArtifactReader = (offset: number, maxBytes: number) => Promise<Pick<ArtifactContent, 'data' | 'encoding' | 'size' | 'offset'>>;

/**
 * Exactly the bytes [offset, offset+length) of an artifact (fewer at its end). artifacts/read may answer with fewer
 * bytes than asked (it trims a UTF-8 character cut at the slice's end), so this reads on until it has them all.
 */
export async function readRange(read: ArtifactReader, offset: number, length: number): Promise<{ bytes: Uint8Array; size: number }> {
  const parts: Uint8Array[] = [];
  let got = 0;
  let size = offset + length;
  while (got < length) {
    const want = length - got;
    // at least 4 bytes: a request for the first bytes of a character would come back trimmed to nothing
    const c = await read(offset + got, Math.max(want, 4));
    size = c.size;
    let b = contentBytes(c);
    if (b.length > want) b = b.subarray(0, want);
    if (!b.length) break;
    parts.push(b);
    got += b.length;
    if (offset + got >= size) break;
  }
  return { bytes: concatBytes(parts), size };
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}

// ---- log paging ---------------------------------------------------------------------------------------------------

/** How much of a log artifact is loaded at a time (the newest first, then earlier pages on demand). */
export const LOG_PAGE_BYTES = 1 << 20;

const splitLines = (text: string): string[] => {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
};

/**
 * Reads a log file backwards in pages of whole lines. `start` is the byte offset of the earliest byte read; the
 * bytes from there to the first newline (a line that began before `start`) are held back until the page before
 * completes it. Lines are decoded only between newlines, so a page cut inside a UTF-8 character is harmless.
 */
export class LogPager {
  /** Byte offset of the earliest byte read; -1 before the first page. */
  start = -1;
  /** File size when the newest page was read. */
  end = 0;
  private held: Uint8Array = new Uint8Array(0);
  private readonly decoder = new TextDecoder('utf-8');

  constructor(readonly pageBytes = LOG_PAGE_BYTES) {}

  /** Something earlier is left to load. */
  get hasEarlier(): boolean {
    return this.start > 0;
  }

  /** The byte range of the next page to read: the newest page for the first call, then the one before. */
  nextRange(size?: number): { offset: number; length: number } {
    if (this.start < 0) {
      const s = Math.max(0, size ?? 0);
      return { offset: Math.max(0, s - this.pageBytes), length: Math.min(s, this.pageBytes) };
    }
    const offset = Math.max(0, this.start - this.pageBytes);
    return { offset, length: this.start - offset };
  }

  /** Takes the page read at `offset` (the newest page first, with the file's size); returns its complete lines, oldest first. */
  add(offset: number, bytes: Uint8Array, size?: number): string[] {
    if (this.start < 0) this.end = size ?? offset + bytes.length;
    const all = concatBytes([bytes, this.held]);
    this.start = offset;
    let from = 0;
    if (offset > 0) {
      const nl = all.indexOf(10);
      if (nl < 0) {
        this.held = all; // one long line, still incomplete: wait for the page before
        return [];
      }
      from = nl + 1;
      this.held = all.slice(0, from);
    } else this.held = new Uint8Array(0);
    return splitLines(this.decoder.decode(all.subarray(from)));
  }
}

/**
 * Where live lines (log/append) join a log read from the file: the file may already hold the first of them (it is
 * written as the lines arrive). Finds the smallest j (within the last `window` history lines) such that history[j..]
 * and `live` agree where they overlap; `skip` live lines are duplicates, and `pending` are history lines that
 * are still to come as live lines (to skip then too).
 */
export function joinLive(history: readonly string[], live: readonly string[], window = 1000): { skip: number; pending: string[] } {
  if (!live.length || !history.length) return { skip: 0, pending: [] };
  const n = history.length;
  for (let j = Math.max(0, n - window); j < n; j++) {
    const common = Math.min(n - j, live.length);
    let ok = true;
    for (let k = 0; k < common && ok; k++) ok = history[j + k] === live[k];
    if (ok) return { skip: common, pending: history.slice(j + common) };
  }
  return { skip: 0, pending: [] };
}

// ---- CSV preview ----------------------------------------------------------------------------------------------------

/**
 * Parses CSV (RFC 4180: quoted fields, "" escapes, newlines inside quotes) into at most `maxRows` rows. When
 * `truncated` (the text is the first part of the file), the last row, maybe cut, is dropped. `more`: rows were left out.
 */
export function parseCsv(text: string, opts: { delimiter?: string; maxRows?: number; truncated?: boolean } = {}): { rows: string[][]; more: boolean } {
  const delim = opts.delimiter ?? ',';
  const maxRows = opts.maxRows ?? 200;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // BOM
  let more = false;
  const endRow = () => {
    row.push(field);
    field = '';
    rows.push(row);
    row = [];
  };
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') (field += '"'), i++;
        else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delim) (row.push(field), (field = ''));
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      if (rows.length > maxRows) break;
    } else field += ch;
  }
  const cut = i < text.length;
  if (!cut && (field !== '' || row.length)) {
    if (opts.truncated) more = true; // a partial last row
    else endRow();
  }
  if (rows.length > maxRows || cut) more = true;
  if (opts.truncated) more = true;
  return { rows: rows.slice(0, maxRows), more };
}

/** Pretty-printed JSON, or null when the text does not parse. */
export function prettyJson(text: string): string | null {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
}

/** The run page's Deploy button: enabled only in VS Code for a deployable, not deleted run; otherwise the reason. */
export function deployState(
  can: { ok: boolean; reason: string } | null,
  vsCode: boolean,
  deleted: boolean,
): { enabled: boolean; title: string } {
  if (deleted) return { enabled: false, title: 'This run was deleted' };
  if (!can) return { enabled: false, title: 'Checking whether this run can be deployed…' };
  if (!can.ok) return { enabled: false, title: `Cannot deploy: ${can.reason || 'this run logged no model'}` };
  if (!vsCode) return { enabled: false, title: 'Deploying is available in VS Code or with `mltrack deploy RUN`' };
  return { enabled: true, title: 'Deploy this run’s model (opens the Deployment form)' };
}
