// Lineage graph: the DAG of runs and files around a run or a file, laid out left to right (dagre), drawn as SVG with
// pan (drag) and zoom (wheel). Click selects a node, Shift/Ctrl+click selects a second one and highlights the path
// between them, double-click (or Enter, or the Open button) opens it; Impact marks everything downstream.
import './lineage.css';
import type { LineageGraph, LineageNode, LineageParams } from '../../../../extension/src/protocol';
import { onNotification, onReconnect, rpc } from '../../transport';
import { loadState, saveState, debouncedSaver } from '../../state';
import { openLineage, openRun } from '../../nav';
import { debounce, errorText, h, message, render, shortId, statusBadge } from '../../dom';
import { downstream, edgesWithin, fitView, pathBetween, zoomAt, type PathResult } from './graph';
import { edgePath, layoutGraph, type Layout } from './layout';

type Direction = 'up' | 'down' | 'both';
interface View {
  x: number;
  y: number;
  k: number;
}
interface LineageState {
  direction: Direction;
  depth: number;
  impact: boolean;
  selected: string[];
  view?: View;
}

const SVG = 'http://www.w3.org/2000/svg';
function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number | null | undefined> = {}, ...children: (Node | string | null)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) if (c !== null) el.append(c);
  return el;
}

export function mount(root: HTMLElement, args: any): void {
  const start: { runId?: string; filePath?: string } = {};
  if (typeof args?.runId === 'string' && args.runId) start.runId = args.runId;
  else if (typeof args?.filePath === 'string' && args.filePath) start.filePath = args.filePath;
  const saved = loadState<LineageState>();
  const st: LineageState = {
    direction: (args?.direction as Direction) ?? 'both',
    depth: typeof args?.depth === 'number' ? args.depth : 10,
    impact: false,
    selected: [],
    ...(saved ?? {}),
  };
  const save = () => saveState(st);
  const saveView = debouncedSaver<LineageState>('panel', 250);

  root.classList.add('lg-root');
  const toolbar = h('div', { class: 'mt-toolbar lg-toolbar' });
  const banner = h('div', { class: 'lg-banner' });
  const stage = h('div', { class: 'lg-stage' });
  const info = h('div', { class: 'lg-info' });
  render(root, toolbar, banner, h('div', { class: 'lg-main' }, stage, info));

  if (!start.runId && !start.filePath) {
    render(stage, message('Open the lineage of a run (run page, Runs table) or of a file (Explorer: MLTrack: Show Lineage).', 'info'));
    return;
  }

  const svg = s('svg', { class: 'lg-svg', role: 'img', tabindex: '0', 'aria-label': 'Lineage graph' });
  const defs = s(
    'defs',
    {},
    ...['normal', 'hl', 'impact'].map((kind) =>
      s('marker', { id: `lg-arrow-${kind}`, viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '9', markerHeight: '9', markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse', class: `lg-arrow lg-arrow-${kind}` }, s('path', { d: 'M0,0 L10,5 L0,10 z' })),
    ),
  );
  const viewport = s('g', { class: 'lg-viewport' });
  svg.append(defs, viewport);
  const legend = h(
    'div',
    { class: 'lg-legend' },
    h('span', { class: 'lg-key lg-key-run' }, 'run'),
    h('span', { class: 'lg-key lg-key-file' }, 'file'),
    h('span', { class: 'mt-muted' }, 'Click: select · Shift+click: path between two · Double-click: open · Drag: pan · Wheel: zoom'),
  );
  render(stage, svg, legend);

  let graph: LineageGraph | null = null;
  let lay: Layout | null = null;
  let view: View = st.view ?? { x: 0, y: 0, k: 1 };
  const nodeEls = new Map<string, SVGGElement>();
  const edgeEls: SVGPathElement[] = [];
  let loading = false;
  let again: { refit: boolean } | null = null; // a change made while a load was in flight: load once more after it

  // ---- toolbar -------------------------------------------------------------------------------------------------
  function drawToolbar(): void {
    const dir = h(
      'select',
      { class: 'lg-direction', 'aria-label': 'Direction', disabled: !!start.filePath, title: start.filePath ? 'A file’s lineage always goes downstream' : null },
      (['both', 'up', 'down'] as Direction[]).map((d) => h('option', { value: d, selected: st.direction === d }, d === 'both' ? 'Up and downstream' : d === 'up' ? 'Upstream' : 'Downstream')),
    );
    dir.addEventListener('change', () => {
      st.direction = dir.value as Direction;
      save();
      void load(true);
    });
    const depth = h('input', { type: 'number', class: 'lg-depth', min: '0', max: '100', value: String(st.depth), 'aria-label': 'Depth', style: { width: '5em' } });
    depth.addEventListener(
      'change',
      () => {
        const v = Math.max(0, Math.min(100, Math.round(Number(depth.value))));
        if (!Number.isFinite(v)) return;
        depth.value = String(v);
        st.depth = v;
        save();
        void load(true);
      },
    );
    const impact = h('button', { class: `mt-secondary lg-impact-btn${st.impact ? ' lg-on' : ''}`, 'aria-pressed': String(st.impact), title: 'Mark everything downstream of the selected node (or of the start node)' }, 'Impact');
    impact.addEventListener('click', () => {
      st.impact = !st.impact;
      save();
      drawToolbar();
      applyHighlight();
    });
    render(
      toolbar,
      h('b', null, 'Lineage of '),
      h('span', { class: 'lg-subject' }, start.runId ? `run ${graph ? (graph.nodes.find((n) => n.id === graph!.root)?.label ?? shortId(start.runId)) : shortId(start.runId)}` : start.filePath!),
      h('label', null, 'Show', dir),
      h('label', null, 'Depth', depth),
      impact,
      h('button', { class: 'mt-secondary lg-fit', onclick: () => fit() }, 'Fit'),
      h('button', { class: 'mt-secondary lg-clear', onclick: () => select([]), disabled: st.selected.length === 0 }, 'Clear selection'),
      h('span', { class: 'mt-spacer' }),
      h('span', { class: 'mt-muted lg-count' }, graph ? `${graph.nodes.length} nodes · ${graph.edges.length} edges` : ''),
    );
  }

  /** Updates the toolbar's texts in place: re-creating it after a load would drop an edit in progress (depth). */
  function refreshToolbar(): void {
    const subject = toolbar.querySelector('.lg-subject');
    if (subject && start.runId) subject.textContent = `run ${graph ? (graph.nodes.find((n) => n.id === graph!.root)?.label ?? shortId(start.runId)) : shortId(start.runId)}`;
    const count = toolbar.querySelector('.lg-count');
    if (count) count.textContent = graph ? `${graph.nodes.length} nodes · ${graph.edges.length} edges` : '';
    const clear = toolbar.querySelector<HTMLButtonElement>('.lg-clear');
    if (clear) clear.disabled = st.selected.length === 0;
  }

  // ---- data ----------------------------------------------------------------------------------------------------
  async function load(refit = false): Promise<void> {
    if (loading) {
      again = { refit: refit || (again?.refit ?? false) };
      return;
    }
    loading = true;
    const params: LineageParams = { depth: st.depth };
    if (start.runId) Object.assign(params, { runId: start.runId, direction: st.direction });
    else params.filePath = start.filePath;
    try {
      if (!graph) render(banner, message('Loading the lineage…', 'loading'));
      const g = await rpc('lineage/graph', params);
      render(banner);
      const firstTime = !graph;
      graph = g;
      st.selected = st.selected.filter((id) => g.nodes.some((n) => n.id === id));
      draw();
      if (refit || (firstTime && !st.view)) fit();
      else applyView();
    } catch (e) {
      render(banner, h('div', { class: 'mt-message mt-error', role: 'alert' }, `Could not load the lineage: ${errorText(e)}`));
    } finally {
      loading = false;
      refreshToolbar();
    }
    if (again) {
      const next = again;
      again = null;
      await load(next.refit);
    }
  }
  const reload = debounce(() => void load(), 800);

  // ---- drawing -------------------------------------------------------------------------------------------------
  function draw(): void {
    const g = graph!;
    lay = layoutGraph(g.nodes, g.edges);
    nodeEls.clear();
    edgeEls.length = 0;
    const edgeLayer = s('g', { class: 'lg-edges' });
    const nodeLayer = s('g', { class: 'lg-nodes' });
    for (const pe of lay.edges) {
      const p = s('path', { d: edgePath(pe.points), class: `lg-edge lg-edge-${pe.edge.kind}`, 'marker-end': 'url(#lg-arrow-normal)', 'data-index': pe.index });
      p.append(s('title', {}, `${pe.edge.kind}${pe.edge.label ? `: ${pe.edge.label}` : ''}`));
      edgeEls[pe.index] = p;
      edgeLayer.append(p);
    }
    for (const pn of lay.nodes.values()) {
      const n = pn.node;
      const x = pn.x - pn.w / 2;
      const y = pn.y - pn.h / 2;
      const el = s(
        'g',
        {
          class: `lg-node lg-${n.kind}${n.status ? ` lg-status-${n.status.toLowerCase()}` : ''}${n.id === g.root ? ' lg-root-node' : ''}`,
          transform: `translate(${x},${y})`,
          'data-id': n.id,
          'data-kind': n.kind,
          role: 'button',
          'aria-label': `${n.kind} ${n.label}`,
        },
        s('rect', { width: pn.w, height: pn.h, rx: n.kind === 'run' ? 4 : 14, ry: n.kind === 'run' ? 4 : 14, class: 'lg-shape' }),
        n.kind === 'run' ? s('rect', { width: 4, height: pn.h - 8, x: 4, y: 4, rx: 2, class: 'lg-status-bar' }) : null,
        s('text', { x: 14, y: 17, class: 'lg-label' }, pn.title),
        s('text', { x: 14, y: 32, class: 'lg-sub' }, pn.subtitle),
        s('title', {}, `${n.kind === 'run' ? 'Run' : 'File'} ${n.label}${n.runId ? `\n${n.runId}` : ''}${n.sha256 ? `\nsha256 ${n.sha256}` : ''}\n${n.depth} hop${n.depth === 1 ? '' : 's'} from the start`),
      );
      el.addEventListener('click', (e) => {
        if (dragged) return;
        e.stopPropagation();
        if (e.shiftKey || e.ctrlKey || e.metaKey) {
          const rest = st.selected.filter((x) => x !== n.id);
          select([...rest.slice(-1), n.id]);
        } else if (!(st.selected.length === 1 && st.selected[0] === n.id)) select([n.id]);
      });
      el.addEventListener('dblclick', (e) => {
        e.stopPropagation();
        openNode(n);
      });
      nodeEls.set(n.id, el);
      nodeLayer.append(el);
    }
    viewport.replaceChildren(edgeLayer, nodeLayer);
    if (!g.nodes.length) render(banner, message('Nothing recorded around this start point yet.', 'info'));
    applyHighlight();
  }

  function applyView(): void {
    viewport.setAttribute('transform', `translate(${view.x},${view.y}) scale(${view.k})`);
    st.view = view;
    saveView(st);
  }

  function fit(): void {
    if (!lay) return;
    const r = svg.getBoundingClientRect();
    view = fitView(lay.width, lay.height, r.width || 800, r.height || 500);
    applyView();
  }

  // ---- selection, path, impact ---------------------------------------------------------------------------------
  function select(ids: string[]): void {
    st.selected = ids;
    save();
    applyHighlight();
    drawToolbar();
  }

  function applyHighlight(): void {
    if (!graph) return;
    const sel = st.selected;
    let path: PathResult | null = null;
    if (sel.length === 2) path = pathBetween(graph.edges, sel[0]!, sel[1]!);
    const impactFrom = st.impact ? (sel[sel.length - 1] ?? graph.root) : null;
    const impactSet = impactFrom ? new Set([impactFrom, ...downstream(graph.edges, impactFrom)]) : null;
    const impactEdges = impactSet ? edgesWithin(graph.edges, impactSet) : null;
    const pathNodes = new Set(path?.nodes ?? []);
    const pathEdges = new Set(path?.edges ?? []);
    const focus = path !== null || impactSet !== null;
    for (const [id, el] of nodeEls) {
      el.classList.toggle('lg-selected', sel.includes(id));
      el.classList.toggle('lg-path', pathNodes.has(id));
      el.classList.toggle('lg-impact', !!impactSet?.has(id) && id !== impactFrom);
      el.classList.toggle('lg-impact-source', id === impactFrom);
      el.classList.toggle('lg-dim', focus && !pathNodes.has(id) && !impactSet?.has(id) && !sel.includes(id));
    }
    edgeEls.forEach((el, i) => {
      if (!el) return;
      const onPath = pathEdges.has(i);
      const inImpact = !!impactEdges?.has(i);
      el.classList.toggle('lg-path', onPath);
      el.classList.toggle('lg-impact', inImpact);
      el.classList.toggle('lg-dim', focus && !onPath && !inImpact);
      el.setAttribute('marker-end', `url(#lg-arrow-${onPath ? 'hl' : inImpact ? 'impact' : 'normal'})`);
    });
    drawInfo(path, impactFrom, impactSet);
  }

  function nodeById(id: string): LineageNode | undefined {
    return graph?.nodes.find((n) => n.id === id);
  }
  const nameOf = (id: string) => {
    const n = nodeById(id);
    return n ? n.label : id;
  };

  /** A file's path as the runs recorded it (the labels of the edges that touch it). */
  function filePathOf(n: LineageNode): string | null {
    const e = graph?.edges.find((x) => (x.from === n.id || x.to === n.id) && x.label);
    return e?.label ?? null;
  }

  function openNode(n: LineageNode): void {
    if (n.kind === 'run' && n.runId) openRun(n.runId);
    else {
      const p = filePathOf(n);
      if (p) openLineage({ filePath: p });
    }
  }

  function drawInfo(path: PathResult | null, impactFrom: string | null, impactSet: Set<string> | null): void {
    const parts: Node[] = [];
    const sel = st.selected.map(nodeById).filter((n): n is LineageNode => !!n);
    for (const n of sel) {
      const p = n.kind === 'file' ? filePathOf(n) : null;
      parts.push(
        h(
          'div',
          { class: 'lg-card', 'data-id': n.id },
          h('div', { class: 'lg-card-title' }, h('span', { class: `lg-key lg-key-${n.kind}` }, n.kind), ' ', h('b', null, n.label)),
          n.kind === 'run'
            ? h('div', null, n.status ? statusBadge(n.status) : null, ' ', h('code', { class: 'mt-muted' }, n.runId ?? ''))
            : h('div', null, p ? h('code', { class: 'lg-path-text' }, p) : null, h('div', { class: 'mt-muted' }, h('code', null, `sha256 ${(n.sha256 ?? '').slice(0, 16)}…`))),
          h('div', { class: 'mt-muted' }, `${n.depth} hop${n.depth === 1 ? '' : 's'} from the start`),
          h(
            'div',
            { class: 'lg-card-actions' },
            n.kind === 'run'
              ? [
                  h('button', { class: 'lg-open', onclick: () => openNode(n) }, 'Open run'),
                  h('button', { class: 'mt-secondary', onclick: () => openLineage({ runId: n.runId! }) }, 'Lineage from here'),
                ]
              : p
                ? h('button', { class: 'lg-open', title: 'Runs downstream of this file', onclick: () => openNode(n) }, 'Lineage from this file')
                : null,
          ),
        ),
      );
    }
    if (st.selected.length === 2) {
      parts.push(
        h(
          'div',
          { class: 'lg-card lg-path-info' },
          h('div', { class: 'lg-card-title' }, h('b', null, 'Path')),
          path
            ? [
                h('div', { class: 'mt-muted' }, path.direction === 'forward' ? 'first → second' : path.direction === 'backward' ? 'second → first' : 'connected, not in one direction', ` · ${path.edges.length} hop${path.edges.length === 1 ? '' : 's'}`),
                h('ol', { class: 'lg-path-list' }, path.nodes.map((id) => h('li', null, nameOf(id)))),
              ]
            : h('div', null, 'These two nodes are not connected in this graph.'),
        ),
      );
    }
    if (impactFrom && impactSet) {
      const down = [...impactSet].filter((id) => id !== impactFrom).map(nodeById).filter((n): n is LineageNode => !!n);
      const runs = down.filter((n) => n.kind === 'run').length;
      parts.push(
        h(
          'div',
          { class: 'lg-card lg-impact-info' },
          h('div', { class: 'lg-card-title' }, h('b', null, 'Impact')),
          h('div', null, `Downstream of ${nameOf(impactFrom)}: ${runs} run${runs === 1 ? '' : 's'}, ${down.length - runs} file${down.length - runs === 1 ? '' : 's'}.`),
          down.length ? h('ul', { class: 'lg-path-list' }, down.slice(0, 50).map((n) => h('li', null, `${n.kind} ${n.label}`))) : null,
        ),
      );
    }
    if (!parts.length) parts.push(h('div', { class: 'mt-muted lg-hint' }, 'Select a node to see it here; Shift+click a second node for the path between them.'));
    render(info, parts);
  }

  // ---- pan and zoom --------------------------------------------------------------------------------------------
  let dragging: { x: number; y: number; vx: number; vy: number; id: number } | null = null;
  let dragged = false;
  svg.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    dragging = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, id: e.pointerId };
    dragged = false;
  });
  svg.addEventListener('pointermove', (e) => {
    if (!dragging || e.pointerId !== dragging.id) return;
    const dx = e.clientX - dragging.x;
    const dy = e.clientY - dragging.y;
    if (!dragged && Math.hypot(dx, dy) < 4) return;
    if (!dragged) {
      dragged = true;
      svg.setPointerCapture(e.pointerId);
      svg.classList.add('lg-panning');
    }
    view = { ...view, x: dragging.vx + dx, y: dragging.vy + dy };
    applyView();
  });
  const endDrag = (e: PointerEvent) => {
    if (!dragging || e.pointerId !== dragging.id) return;
    dragging = null;
    svg.classList.remove('lg-panning');
    if (svg.hasPointerCapture(e.pointerId)) svg.releasePointerCapture(e.pointerId);
    // the click that ends a drag is not a selection
    setTimeout(() => (dragged = false), 0);
  };
  svg.addEventListener('pointerup', endDrag);
  svg.addEventListener('pointercancel', endDrag);
  svg.addEventListener('click', () => {
    if (!dragged && st.selected.length) select([]);
  });
  svg.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const r = svg.getBoundingClientRect();
      const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
      view = zoomAt(view, e.clientX - r.left, e.clientY - r.top, factor);
      applyView();
    },
    { passive: false },
  );
  svg.addEventListener('keydown', (e) => {
    const r = svg.getBoundingClientRect();
    if (e.key === '+' || e.key === '=') view = zoomAt(view, r.width / 2, r.height / 2, 1.2);
    else if (e.key === '-') view = zoomAt(view, r.width / 2, r.height / 2, 1 / 1.2);
    else if (e.key === '0') return fit();
    else if (e.key === 'ArrowLeft') view = { ...view, x: view.x + 40 };
    else if (e.key === 'ArrowRight') view = { ...view, x: view.x - 40 };
    else if (e.key === 'ArrowUp') view = { ...view, y: view.y + 40 };
    else if (e.key === 'ArrowDown') view = { ...view, y: view.y - 40 };
    else if (e.key === 'Escape') return select([]);
    else if (e.key === 'Enter') {
      const n = nodeById(st.selected[st.selected.length - 1] ?? '');
      if (n) openNode(n);
      return;
    } else return;
    e.preventDefault();
    applyView();
  });

  // ---- live ----------------------------------------------------------------------------------------------------
  onNotification('runs/changed', (p) => {
    if (p.kind === 'metrics') return;
    if (graph?.nodes.some((n) => n.runId === p.runId) || p.kind === 'created') reload();
  });
  onReconnect(() => void load());

  drawToolbar();
  void load();
}
