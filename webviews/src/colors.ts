// A stable colour per run, the same in every panel: hashed from the run id into a palette readable on light and dark
// backgrounds (mid lightness, saturated). Runs beyond the palette get a hue from the hash, so there is no cap.

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
 * Colours for a set of runs shown together: each run keeps its stable colour unless another run in the set already
 * took it, in which case it gets a distinct hashed hue (so 50 overlaid runs stay distinguishable).
 */
export function runColors(runIds: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const id of runIds) {
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

/** A colour with alpha, for bands: accepts #rrggbb or hsl(...). */
export function withAlpha(color: string, alpha: number): string {
  if (color.startsWith('#') && color.length === 7) {
    const a = Math.round(Math.max(0, Math.min(1, alpha)) * 255).toString(16).padStart(2, '0');
    return color + a;
  }
  if (color.startsWith('hsl(')) return color.replace(/\)$/, ` / ${alpha})`);
  return color;
}
