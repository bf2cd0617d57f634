// Pure logic of the compare view: which params differ, which run wins each metric. No DOM.
import type { JsonDouble, MetricSummary } from '../../../../extension/src/protocol';

/** Decodes a JsonDouble (the strings "NaN", "Infinity", "-Infinity" included). */
export function toNumber(v: JsonDouble | null | undefined): number {
  if (v === null || v === undefined) return NaN;
  return typeof v === 'string' ? Number(v) : v;
}

/** Two param values are the same when their strings are equal, or both are numbers of equal value ("0.1" = "1e-1"). */
export function sameParamValue(a: string | null, b: string | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const ta = a.trim();
  const tb = b.trim();
  if (ta === '' || tb === '') return false;
  const na = Number(ta);
  const nb = Number(tb);
  return Number.isFinite(na) && Number.isFinite(nb) && na === nb;
}

export interface ParamRow {
  key: string;
  /** One per run, in the runs' order; null when the run did not log the param. */
  values: (string | null)[];
  /** Not every run has the same value (a missing param counts as a difference). */
  differs: boolean;
  /** Per run: this cell's value differs from the first run's (the baseline). Always false for the first run. */
  changed: boolean[];
}

/** Params of several runs side by side, keys sorted; differing rows first when `differencesFirst`. */
export function diffParams(params: Record<string, string>[], opts: { differencesFirst?: boolean } = {}): ParamRow[] {
  const keys = [...new Set(params.flatMap((p) => Object.keys(p ?? {})))].sort((a, b) => a.localeCompare(b));
  const rows = keys.map((key): ParamRow => {
    const values = params.map((p) => (p && Object.prototype.hasOwnProperty.call(p, key) ? p[key]! : null));
    const base = values[0] ?? null;
    const changed = values.map((v, i) => i > 0 && !sameParamValue(base, v));
    const differs = values.some((v, i) => i > 0 && !sameParamValue(values[0] ?? null, v));
    return { key, values, differs, changed };
  });
  if (opts.differencesFirst) rows.sort((a, b) => Number(b.differs) - Number(a.differs));
  return rows;
}

export interface MetricCell {
  latest: number;
  /** min over the series when lower is better, else max. */
  best: number;
  latestStep: number;
}

export interface MetricRow {
  key: string;
  lowerIsBetter: boolean;
  /** One per run; null when the run has no such metric. */
  cells: (MetricCell | null)[];
  /** Indices of the runs whose latest (final) value wins; empty when fewer than two runs have a comparable value. */
  latestWinners: number[];
  /** Indices of the runs whose best value over the whole series wins. */
  bestWinners: number[];
}

/** Indices of the best finite values (ties: all of them); empty when fewer than two finite values or all equal. */
export function winners(values: (number | null | undefined)[], lowerIsBetter: boolean): number[] {
  const finite: number[] = [];
  values.forEach((v, i) => {
    if (typeof v === 'number' && Number.isFinite(v)) finite.push(i);
  });
  if (finite.length < 2) return [];
  const vals = finite.map((i) => values[i] as number);
  const target = lowerIsBetter ? Math.min(...vals) : Math.max(...vals);
  const win = finite.filter((i) => values[i] === target);
  return win.length === finite.length ? [] : win;
}

/** Final and best metric values per run, with the winner per row. System metrics (system/*) are left out when asked. */
export function compareMetrics(metrics: MetricSummary[][], opts: { includeSystem?: boolean } = {}): MetricRow[] {
  const keys = [...new Set(metrics.flatMap((ms) => (ms ?? []).map((m) => m.key)))]
    .filter((k) => opts.includeSystem || !k.startsWith('system/'))
    .sort((a, b) => a.localeCompare(b));
  return keys.map((key): MetricRow => {
    const summaries = metrics.map((ms) => (ms ?? []).find((m) => m.key === key) ?? null);
    const lowerIsBetter = summaries.find((s) => s !== null)?.lowerIsBetter ?? false;
    const cells = summaries.map((s): MetricCell | null =>
      s === null ? null : { latest: toNumber(s.latest), best: toNumber(lowerIsBetter ? s.min : s.max), latestStep: s.latestStep },
    );
    return {
      key,
      lowerIsBetter,
      cells,
      latestWinners: winners(cells.map((c) => c?.latest), lowerIsBetter),
      bestWinners: winners(cells.map((c) => c?.best), lowerIsBetter),
    };
  });
}

export interface GitSide {
  commit: string | null;
  branch: string | null;
  dirty: boolean | null;
  hasDiffArtifact: boolean;
}

/** How the code of two runs relates, for the note above the code section. */
export function codeRelation(a: GitSide, b: GitSide): 'no-git' | 'same' | 'same-commit-dirty' | 'different-commits' {
  if (!a.commit || !b.commit) return 'no-git';
  if (a.commit !== b.commit) return 'different-commits';
  if (a.dirty || b.dirty || a.hasDiffArtifact || b.hasDiffArtifact) return 'same-commit-dirty';
  return 'same';
}

// ---- unified diffs --------------------------------------------------------------------------------------------------

export type DiffLineKind = 'add' | 'del' | 'ctx' | 'note';

export interface DiffLine {
  kind: DiffLineKind;
  /** Without the leading '+', '-' or ' ' ('note': "\ No newline at end of file"). */
  text: string;
}

export interface DiffHunk {
  /** The "@@ -a,b +c,d @@ context" line. */
  header: string;
  lines: DiffLine[];
}

export interface DiffFile {
  /** Path before and after ("/dev/null" stripped to null for added/deleted files). */
  oldPath: string | null;
  newPath: string | null;
  /** The path to show: the new one, else the old one. */
  path: string;
  status: 'modified' | 'added' | 'deleted' | 'renamed' | 'binary';
  /** "diff --git", "index", mode, rename lines as they came. */
  meta: string[];
  hunks: DiffHunk[];
  added: number;
  removed: number;
}

const stripPrefix = (p: string): string | null => {
  const t = p.replace(/\t.*$/, '').trim(); // "--- a/x\t2024-01-01 ..." (non-git diffs carry a timestamp)
  if (t === '/dev/null') return null;
  const unq = t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
  return /^[ab]\//.test(unq) ? unq.slice(2) : unq;
};

/**
 * Splits a unified diff (git's or plain diff -u) into files and hunks. Hunk line counts from the @@ headers decide
 * where a hunk ends, so a removed line that reads "-- x" is not taken for a file header. Text before the first file is ignored.
 */
export function parseUnifiedDiff(text: string | null | undefined): DiffFile[] {
  if (!text) return [];
  const files: DiffFile[] = [];
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines[lines.length - 1] === '') lines.pop();
  let file: DiffFile | null = null;
  let hunk: DiffHunk | null = null;
  let oldLeft = 0;
  let newLeft = 0;
  const startFile = (): DiffFile => {
    const f: DiffFile = { oldPath: null, newPath: null, path: '', status: 'modified', meta: [], hunks: [], added: 0, removed: 0 };
    files.push(f);
    hunk = null;
    return f;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (hunk && (oldLeft > 0 || newLeft > 0)) {
      const c = line[0];
      if (c === '+' && newLeft > 0) {
        hunk.lines.push({ kind: 'add', text: line.slice(1) });
        file!.added++;
        newLeft--;
        continue;
      }
      if (c === '-' && oldLeft > 0) {
        hunk.lines.push({ kind: 'del', text: line.slice(1) });
        file!.removed++;
        oldLeft--;
        continue;
      }
      if ((c === ' ' || line === '') && oldLeft > 0 && newLeft > 0) {
        hunk.lines.push({ kind: 'ctx', text: line.slice(1) });
        oldLeft--;
        newLeft--;
        continue;
      }
      if (c === '\\') {
        hunk.lines.push({ kind: 'note', text: line });
        continue;
      }
      // a malformed hunk: fall through to header parsing
      oldLeft = newLeft = 0;
    }
    if (hunk && line.startsWith('\\')) {
      hunk.lines.push({ kind: 'note', text: line });
      continue;
    }
    if (line.startsWith('diff --git ') || line.startsWith('diff -')) {
      file = startFile();
      file.meta.push(line);
      const m = /^diff --git (?:"?a\/(.+?)"?) (?:"?b\/(.+?)"?)$/.exec(line);
      if (m) {
        file.oldPath = m[1]!;
        file.newPath = m[2]!;
      }
      continue;
    }
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      if (!file || file.hunks.length) {
        file = startFile();
      }
      file.oldPath = stripPrefix(line.slice(4));
      file.newPath = stripPrefix(lines[i + 1]!.slice(4));
      if (file.oldPath === null) file.status = 'added';
      else if (file.newPath === null) file.status = 'deleted';
      i++;
      continue;
    }
    const h = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (h && file) {
      hunk = { header: line, lines: [] };
      file.hunks.push(hunk);
      oldLeft = h[2] === undefined ? 1 : Number(h[2]);
      newLeft = h[4] === undefined ? 1 : Number(h[4]);
      continue;
    }
    if (!file) continue; // preamble
    file.meta.push(line);
    if (line.startsWith('new file mode')) file.status = 'added';
    else if (line.startsWith('deleted file mode')) file.status = 'deleted';
    else if (line.startsWith('rename from ')) ((file.oldPath = line.slice(12)), (file.status = 'renamed'));
    else if (line.startsWith('rename to ')) ((file.newPath = line.slice(10)), (file.status = 'renamed'));
    else if (/^Binary files .* differ$/.test(line) || line === 'GIT binary patch') file.status = 'binary';
  }
  for (const f of files) {
    if (f.status === 'added') f.oldPath = null;
    if (f.status === 'deleted') f.newPath = null;
    f.path = f.newPath ?? f.oldPath ?? '(unknown file)';
    if (f.status === 'modified' && f.oldPath && f.newPath && f.oldPath !== f.newPath) f.status = 'renamed';
  }
  return files;
}

/** Totals of a parsed diff, for the section's summary line. */
export function diffStats(files: DiffFile[]): { files: number; added: number; removed: number } {
  return { files: files.length, added: files.reduce((n, f) => n + f.added, 0), removed: files.reduce((n, f) => n + f.removed, 0) };
}
