// Left-to-right layout of the lineage graph with dagre. No DOM: sizes are estimated from the label lengths.
import { Graph, layout } from '@dagrejs/dagre';
import type { LineageEdge, LineageNode } from '../../../../extension/src/protocol';
import { shorten } from './graph';

export const NODE_H = 40;
const CHAR_W = 7.2;
const PAD_W = 34;
const MIN_W = 110;
export const MAX_LABEL = 30;

export interface PlacedNode {
  node: LineageNode;
  /** Centre. */
  x: number;
  y: number;
  w: number;
  h: number;
  title: string;
  subtitle: string;
}

export interface PlacedEdge {
  edge: LineageEdge;
  index: number;
  points: { x: number; y: number }[];
}

export interface Layout {
  nodes: Map<string, PlacedNode>;
  edges: PlacedEdge[];
  width: number;
  height: number;
}

export function nodeTexts(n: LineageNode): { title: string; subtitle: string } {
  if (n.kind === 'run') return { title: shorten(n.label || (n.runId ?? '').slice(0, 8), MAX_LABEL), subtitle: `${(n.status ?? 'run').toLowerCase()} · ${(n.runId ?? '').slice(0, 8)}` };
  return { title: shorten(n.label || 'file', MAX_LABEL), subtitle: `file · ${(n.sha256 ?? '').slice(0, 8)}` };
}

/** Lays the graph out left to right. Edges to unknown nodes are dropped; duplicate edges are drawn once each. */
export function layoutGraph(nodes: LineageNode[], edges: LineageEdge[]): Layout {
  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 70, edgesep: 10, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const texts = new Map<string, { title: string; subtitle: string; w: number }>();
  for (const n of nodes) {
    const t = nodeTexts(n);
    const w = Math.max(MIN_W, Math.ceil(Math.max(t.title.length, t.subtitle.length) * CHAR_W + PAD_W));
    texts.set(n.id, { ...t, w });
    g.setNode(n.id, { width: w, height: NODE_H });
  }
  const kept: { e: LineageEdge; i: number }[] = [];
  edges.forEach((e, i) => {
    if (!texts.has(e.from) || !texts.has(e.to) || e.from === e.to) return;
    g.setEdge(e.from, e.to, {}, `e${i}`);
    kept.push({ e, i });
  });
  layout(g);
  const placed = new Map<string, PlacedNode>();
  for (const n of nodes) {
    const p = g.node(n.id) as { x: number; y: number; width: number; height: number };
    const t = texts.get(n.id)!;
    placed.set(n.id, { node: n, x: p.x, y: p.y, w: p.width, h: p.height, title: t.title, subtitle: t.subtitle });
  }
  const pe = kept.map(({ e, i }): PlacedEdge => {
    const ed = g.edge({ v: e.from, w: e.to, name: `e${i}` }) as { points?: { x: number; y: number }[] };
    return { edge: e, index: i, points: ed?.points ?? [] };
  });
  const gl = g.graph() as { width?: number; height?: number };
  return { nodes: placed, edges: pe, width: gl.width ?? 0, height: gl.height ?? 0 };
}

/** An SVG path through the points: straight ends, smoothed corners (quadratic curves through the midpoints). */
export function edgePath(points: { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  const f = (n: number) => Math.round(n * 10) / 10;
  if (points.length < 3) return `M${points.map((p) => `${f(p.x)},${f(p.y)}`).join(' L')}`;
  let d = `M${f(points[0]!.x)},${f(points[0]!.y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i]!;
    const n = points[i + 1]!;
    const mx = (p.x + n.x) / 2;
    const my = (p.y + n.y) / 2;
    d += i === points.length - 2 ? ` Q${f(p.x)},${f(p.y)} ${f(n.x)},${f(n.y)}` : ` Q${f(p.x)},${f(p.y)} ${f(mx)},${f(my)}`;
  }
  return d;
}
