// Pure logic of the search results page: grouping by kind, filters, matched-text highlighting, selection moves.
import type { SearchHit, SearchHitKind } from '../../../../extension/src/protocol';

export const KIND_ORDER: SearchHitKind[] = ['run', 'experiment', 'param', 'tag', 'metric', 'artifact'];

export const KIND_LABEL: Record<SearchHitKind, string> = {
  run: 'Runs',
  experiment: 'Experiments',
  param: 'Params',
  tag: 'Tags',
  metric: 'Metrics',
  artifact: 'Artifacts',
};

export interface HitGroup {
  kind: SearchHitKind;
  label: string;
  hits: SearchHit[];
}

/** Hits grouped by kind in KIND_ORDER (unknown kinds last), each group by score, best first; empty groups omitted. */
export function groupHits(hits: SearchHit[]): HitGroup[] {
  const byKind = new Map<string, SearchHit[]>();
  for (const h of hits) {
    let l = byKind.get(h.kind);
    if (!l) byKind.set(h.kind, (l = []));
    l.push(h);
  }
  const kinds = [...KIND_ORDER.filter((k) => byKind.has(k)), ...[...byKind.keys()].filter((k) => !KIND_ORDER.includes(k as SearchHitKind))];
  return kinds.map((kind) => ({
    kind: kind as SearchHitKind,
    label: KIND_LABEL[kind as SearchHitKind] ?? kind,
    // stable sort: equal scores keep the backend's order
    hits: [...byKind.get(kind)!].sort((a, b) => b.score - a.score),
  }));
}

/** Counts per kind (for the filter chips). */
export function countByKind(hits: SearchHit[]): Map<SearchHitKind, number> {
  const m = new Map<SearchHitKind, number>();
  for (const h of hits) m.set(h.kind, (m.get(h.kind) ?? 0) + 1);
  return m;
}

export type DateRange = 'any' | '24h' | '7d' | '30d' | '365d';
export const DATE_RANGES: { value: DateRange; label: string }[] = [
  { value: 'any', label: 'Any time' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: '365d', label: 'Last year' },
];

const DAY = 24 * 3600 * 1000;
export function rangeStart(range: DateRange, now: number): number {
  switch (range) {
    case '24h':
      return now - DAY;
    case '7d':
      return now - 7 * DAY;
    case '30d':
      return now - 30 * DAY;
    case '365d':
      return now - 365 * DAY;
    default:
      return -Infinity;
  }
}

/** The time of a hit: its run's start time, or its experiment's creation time (experiment hits). */
export function hitTime(h: SearchHit, runTimes: Map<string, number>, experimentTimes: Map<string, number>): number | undefined {
  if (h.runId) return runTimes.get(h.runId);
  if (h.experimentId) return experimentTimes.get(h.experimentId);
  return undefined;
}

export interface HitFilter {
  /** Kinds shown; empty = all. */
  kinds: Set<SearchHitKind>;
  range: DateRange;
}

/** Hits passing the kind and date filters. With a date range, hits whose time is unknown are left out. */
export function filterHits(
  hits: SearchHit[],
  f: HitFilter,
  runTimes: Map<string, number>,
  experimentTimes: Map<string, number>,
  now: number,
): SearchHit[] {
  const from = rangeStart(f.range, now);
  return hits.filter((h) => {
    if (f.kinds.size > 0 && !f.kinds.has(h.kind)) return false;
    if (f.range === 'any') return true;
    const t = hitTime(h, runTimes, experimentTimes);
    return t !== undefined && t >= from;
  });
}

/** The words of a query as the backend matches them (prefixes), lower-cased. */
export function queryTerms(query: string): string[] {
  return [...new Set((query.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []).filter((t) => t.length > 0))];
}

/** Levenshtein distance, stopping early above `max` (returns max + 1). */
export function editDistance(a: string, b: string, max = 1): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** How many leading characters of `word` match `term` as a prefix (0: no match); with `fuzzy`, one typo is tolerated. */
export function prefixMatchLength(term: string, word: string, fuzzy: boolean): number {
  const w = word.toLowerCase();
  if (w.startsWith(term)) return term.length;
  if (!fuzzy || term.length < 3) return 0;
  for (const len of [term.length, term.length - 1, term.length + 1]) {
    if (len < 1 || len > w.length) continue;
    if (editDistance(term, w.slice(0, len), 1) <= 1) return len;
  }
  return 0;
}

export interface Segment {
  text: string;
  match: boolean;
}

/** Splits `text` into plain and matched segments: the prefix of each word that a query term matches. */
export function highlight(text: string, query: string | string[], fuzzy = false): Segment[] {
  const terms = Array.isArray(query) ? query : queryTerms(query);
  const ranges: [number, number][] = [];
  if (terms.length) {
    for (const m of text.matchAll(/[\p{L}\p{N}_]+/gu)) {
      const word = m[0];
      let best = 0;
      for (const t of terms) best = Math.max(best, prefixMatchLength(t, word, false));
      if (best === 0 && fuzzy) for (const t of terms) best = Math.max(best, prefixMatchLength(t, word, true));
      if (best > 0) ranges.push([m.index!, m.index! + best]);
    }
  }
  const out: Segment[] = [];
  let pos = 0;
  for (const [s, e] of ranges) {
    if (s > pos) out.push({ text: text.slice(pos, s), match: false });
    const last = out[out.length - 1];
    if (last && last.match && s === pos) last.text += text.slice(s, e);
    else out.push({ text: text.slice(s, e), match: true });
    pos = e;
  }
  if (pos < text.length || out.length === 0) out.push({ text: text.slice(pos), match: false });
  return out.filter((s, i) => s.text.length > 0 || (i === 0 && out.length === 1));
}

/** The next selected index after an arrow key: clamped to [0, count-1]; -1 when there is nothing. */
export function moveSelection(index: number, delta: number, count: number): number {
  if (count <= 0) return -1;
  if (index < 0) return delta > 0 ? 0 : count - 1;
  return Math.max(0, Math.min(count - 1, index + delta));
}
