// Pure graph logic of the lineage panel: downstream (impact) sets and the path between two nodes. No DOM.

export interface EdgeLike {
  from: string;
  to: string;
}

function adjacency(edges: EdgeLike[], reverse = false): Map<string, string[]> {
  const adj = new Map<string, string[]>();
  for (const e of edges) {
    const [a, b] = reverse ? [e.to, e.from] : [e.from, e.to];
    let list = adj.get(a);
    if (!list) adj.set(a, (list = []));
    list.push(b);
  }
  return adj;
}

/** Every node reachable from `start` along edge directions (start excluded): what a change to `start` affects. */
export function downstream(edges: EdgeLike[], start: string): Set<string> {
  return reach(adjacency(edges), start);
}

/** Every node from which `start` is reachable (start excluded): what `start` depends on. */
export function upstream(edges: EdgeLike[], start: string): Set<string> {
  return reach(adjacency(edges, true), start);
}

function reach(adj: Map<string, string[]>, start: string): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const n of adj.get(queue[i]!) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  seen.delete(start);
  return seen;
}

/** Edges whose both ends are in `nodes` (the impact sub-graph from a start node, start included). */
export function edgesWithin(edges: EdgeLike[], nodes: Set<string>): Set<number> {
  const out = new Set<number>();
  edges.forEach((e, i) => {
    if (nodes.has(e.from) && nodes.has(e.to)) out.add(i);
  });
  return out;
}

export interface PathResult {
  /** Node ids from `a` to `b`, both included. */
  nodes: string[];
  /** Indices into the edges array, in path order. */
  edges: number[];
  /** 'forward': a → b along edge directions; 'backward': b → a; 'undirected': only ignoring directions. */
  direction: 'forward' | 'backward' | 'undirected';
}

/**
 * The shortest path between two nodes: a directed one (a→b, else b→a, reported from a to b) when there is one, else the
 * shortest ignoring directions; null when the nodes are not connected. a === b gives the one-node path.
 */
export function pathBetween(edges: EdgeLike[], a: string, b: string): PathResult | null {
  if (a === b) return { nodes: [a], edges: [], direction: 'forward' };
  const fwd = bfsPath(edges, a, b, 'forward');
  if (fwd) return { ...fwd, direction: 'forward' };
  const back = bfsPath(edges, b, a, 'forward');
  if (back) return { nodes: [...back.nodes].reverse(), edges: [...back.edges].reverse(), direction: 'backward' };
  const any = bfsPath(edges, a, b, 'undirected');
  return any ? { ...any, direction: 'undirected' } : null;
}

function bfsPath(edges: EdgeLike[], from: string, to: string, mode: 'forward' | 'undirected'): { nodes: string[]; edges: number[] } | null {
  // node -> list of [neighbour, edge index]
  const adj = new Map<string, [string, number][]>();
  const add = (x: string, y: string, i: number) => {
    let l = adj.get(x);
    if (!l) adj.set(x, (l = []));
    l.push([y, i]);
  };
  edges.forEach((e, i) => {
    add(e.from, e.to, i);
    if (mode === 'undirected') add(e.to, e.from, i);
  });
  const prev = new Map<string, [string, number]>();
  const seen = new Set([from]);
  const queue = [from];
  for (let qi = 0; qi < queue.length; qi++) {
    const cur = queue[qi]!;
    if (cur === to) break;
    for (const [n, ei] of adj.get(cur) ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      prev.set(n, [cur, ei]);
      queue.push(n);
    }
  }
  if (!seen.has(to)) return null;
  const nodes = [to];
  const es: number[] = [];
  let cur = to;
  while (cur !== from) {
    const [p, ei] = prev.get(cur)!;
    nodes.push(p);
    es.push(ei);
    cur = p;
  }
  return { nodes: nodes.reverse(), edges: es.reverse() };
}

/** The last path segment of a file path, for node labels ("data/train.csv" → "train.csv"). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.length ? parts[parts.length - 1]! : path;
}

/** Shortens a label to `max` characters with a middle ellipsis (keeps the extension of a file name readable). */
export function shorten(label: string, max = 28): string {
  if (label.length <= max) return label;
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return label.slice(0, head) + '…' + label.slice(label.length - (keep - head));
}

/** Clamps a zoom factor. */
export function clampScale(s: number, min = 0.1, max = 4): number {
  return Math.min(max, Math.max(min, s));
}

/** A zoom about a screen point: the graph point under (px, py) stays under it. */
export function zoomAt(
  view: { x: number; y: number; k: number },
  px: number,
  py: number,
  factor: number,
): { x: number; y: number; k: number } {
  const k = clampScale(view.k * factor);
  const f = k / view.k;
  return { k, x: px - (px - view.x) * f, y: py - (py - view.y) * f };
}

/** The view that fits a box of size (w, h) into a viewport (vw, vh) with a margin, never zooming in beyond 1.5. */
export function fitView(w: number, h: number, vw: number, vh: number, margin = 24): { x: number; y: number; k: number } {
  if (w <= 0 || h <= 0 || vw <= 0 || vh <= 0) return { x: margin, y: margin, k: 1 };
  const k = clampScale(Math.min((vw - 2 * margin) / w, (vh - 2 * margin) / h, 1.5));
  return { k, x: (vw - w * k) / 2, y: (vh - h * k) / 2 };
}
