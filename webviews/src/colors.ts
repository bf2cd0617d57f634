// A stable colour per run, the same in every panel: hashed from the run id into a palette readable on light and dark
// backgrounds (mid lightness, saturated). Runs beyond the palette get a hue from the hash, so there is no cap.
import { currentPreferences } from './preferences';

/** 20 colours, distinguishable on white and on #1e1e1e (Tableau-like, nudged to mid lightness). */
export const PALETTE = [
  '#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#b07aa1', '#edc948', '#76b7b2', '#ff9da7', '#9c755f', '#8cd17d',
  '#499894', '#e377c2', '#d37295', '#79706e', '#a0cbe8', '#f1ce63', '#86bcb6', '#d4a6c8', '#bcbd22', '#17becf',
] as const;

/** FNV-1a 32-bit hash of a string. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The run's colour (CSS colour string), stable for an id everywhere. */
export function runColor(runId: string): string {
  return PALETTE[hash32(runId.toLowerCase()) % PALETTE.length]!;
}

/**
 * Colours for a set of runs shown together: the user's run colours (preference mltrack.chart.runColors) in order
 * when set; the other runs keep their stable colour unless another run in the set already took it, in which case they
 * get a distinct hashed hue (so 50 overlaid runs stay distinguishable).
 */
export function runColors(runIds: string[]): Map<string, string> {
  return runColorsWith(runIds, currentPreferences().runColors);
}

/** runColors with an explicit list of preferred colours (given to the first runs, in order). */
export function runColorsWith(runIds: string[], preferred: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  let next = 0;
  for (const id of runIds) {
    if (out.has(id)) continue;
    if (next < preferred.length) {
      const c = preferred[next++]!;
      used.add(c);
      out.set(id, c);
      continue;
    }
    let c = runColor(id);
    if (used.has(c)) {
      const h = hash32(id + '#');
      let hue = h % 360;
      c = `hsl(${hue} ${55 + (h >> 9) % 25}% ${45 + (h >> 17) % 12}%)`;
      for (let k = 0; used.has(c) && k < 36; k++) c = `hsl(${(hue = (hue + 37) % 360)} 65% 50%)`;
    }
    used.add(c);
    out.set(id, c);
  }
  return out;
}

/** A colour with alpha, for bands: accepts #rgb, #rrggbb[aa], rgb()/hsl() (the run colour preference allows them);
 *  other forms (named colours) come back unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const a01 = Math.max(0, Math.min(1, alpha));
  let c = color.trim();
  if (/^#[0-9a-f]{3}$/i.test(c)) c = '#' + [...c.slice(1)].map((x) => x + x).join('');
  if (/^#[0-9a-f]{6}([0-9a-f]{2})?$/i.test(c)) return c.slice(0, 7) + Math.round(a01 * 255).toString(16).padStart(2, '0');
  const fn = /^(rgb|hsl)a?\((.*)\)$/i.exec(c);
  if (fn) {
    const args = fn[2]!;
    if (args.includes('/') || args.split(',').length > 3) return c; // has its own alpha
    return args.includes(',') ? `${fn[1]}a(${args}, ${alpha})` : `${fn[1]}(${args} / ${alpha})`;
  }
  return c;
}
