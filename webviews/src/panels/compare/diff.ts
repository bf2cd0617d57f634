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
