// The runs table ("experiments table"): one row per run; columns for attributes, params and metrics discovered from
// the data; server-side sort (runs/list orderBy) and MLflow filter (error position shown inline, last good result
// kept); group by experiment or a param; show/hide/reorder/pin/resize columns; star and select runs; virtualized rows
// (only the visible rows are in the DOM, recycled while scrolling); live updates from runs/changed.
// Args: { filter?: string, experimentIds?: string[] }.
import './runs.css';
import type { RunRow, RunsListParams } from '../../../../extension/src/protocol';
import { ErrorCode } from '../../../../extension/src/protocol';
import { rpc, RpcError, onNotification, onReconnect } from '../../transport';
import { debouncedSaver, loadState } from '../../state';
import { runColor } from '../../colors';
import { applyTheme, currentPreferences, onPreferences } from '../../preferences';
import { rowHeight } from './density';
import { debounce, download, formatDuration, formatTime, formatValue, h, render, shortId } from '../../dom';
import { openChart, openCompare, openRun } from '../../nav';
import {
  allColumns, cellValue, compareRows, discoverKeys, emptyLayout, groupRows, isGroupHeader, isHidden, moveColumn,
  orderByFor, orderedColumns, quoteKey, rowsToCsv, setHidden, setPinned, visibleColumns,
  type Column, type ColumnLayout, type DiscoveredKeys, type DisplayItem, type GroupBy, type GroupHeader, type MinMaxCache, type SortSpec,
} from './columns';

export const STAR_TAG = 'mltrack.starred';
const OVERSCAN = 8;
const FIRST_PAGE = 200;
const PAGE = 5000;
const CHECK_W = 28;
const STAR_W = 24;

interface TableState {
  filter: string;
  sort: SortSpec | null;
  groupBy: GroupBy;
  layout: ColumnLayout;
  selected: string[];
  collapsed: string[];
  starredOnly: boolean;
  scrollTop: number;
  scrollLeft: number;
}

export function mount(root: HTMLElement, args: any): void {
  applyTheme();
  // Row height from the density preference; rows sit at index × ROW_H (changed live, see onPreferences below).
  let ROW_H = rowHeight(currentPreferences().tableDensity);
  root.style.setProperty('--mt-row-h', `${ROW_H}px`);
  const saved = loadState<Partial<TableState>>() ?? {};
  const st: TableState = {
    filter: saved.filter ?? (typeof args?.filter === 'string' ? args.filter : ''),
    sort: saved.sort ?? null,
    groupBy: saved.groupBy ?? { kind: 'none' },
    layout: { ...emptyLayout(), ...(saved.layout ?? {}) },
    selected: saved.selected ?? [],
    collapsed: saved.collapsed ?? [],
    starredOnly: saved.starredOnly ?? false,
    scrollTop: saved.scrollTop ?? 0,
    scrollLeft: saved.scrollLeft ?? 0,
  };
  const experimentIds: string[] | null = Array.isArray(args?.experimentIds) ? args.experimentIds : null;
  const saver = debouncedSaver<TableState>();
  const save = () => saver(st);

  let rows: RunRow[] = []; // the last good result, in server order
  let keys: DiscoveredKeys = { params: [], metrics: [] };
  let cols: Column[] = [];
  let shown: Column[] = [];
  let items: DisplayItem[] = [];
  let loading = false;
  let complete = false;
  let loadSeq = 0;
  const selected = new Set(st.selected);
  const starred = new Set<string>();
  const minMax: MinMaxCache = new Map();
  const rowById = new Map<string, RunRow>();
  let focusIdx = -1;
  let anchorIdx = -1;

  // ---- toolbar ----
  const filterInput = h('input', {
    type: 'text', class: 'mt-rt-filter', spellcheck: false, value: st.filter, 'aria-label': 'filter',
    placeholder: "Filter: metrics.acc > 0.9 and params.lr = '0.01' and attributes.status = 'FINISHED'",
  });
  const filterError = h('div', { class: 'mt-rt-filter-error', hidden: true, role: 'alert' });
  const groupSel = h('select', { class: 'mt-rt-group-by', 'aria-label': 'group by' });
  const starBtn = h('button', { class: 'mt-secondary mt-rt-starred-only', title: 'Show only starred runs' }, '★ Starred');
  const colsBtn = h('button', { class: 'mt-secondary mt-rt-columns-btn' }, 'Columns');
  const csvBtn = h('button', { class: 'mt-secondary', title: 'Export the table (filtered, visible columns) as CSV' }, 'CSV');
  const selInfo = h('span', { class: 'mt-rt-selinfo mt-muted' });
  const clearSelBtn = h('button', { class: 'mt-icon', title: 'Clear the selection' }, '✕');
  const chartBtn = h('button', { class: 'mt-rt-chart' }, 'Chart');
  const compareBtn = h('button', { class: 'mt-rt-compare' }, 'Compare');
  const statusEl = h('span', { class: 'mt-rt-status mt-muted' });
  const toolbar = h('div', { class: 'mt-toolbar mt-rt-toolbar' },
    filterInput, h('label', null, 'Group', groupSel), starBtn, colsBtn, csvBtn, statusEl,
    h('span', { class: 'mt-spacer' }), selInfo, clearSelBtn, chartBtn, compareBtn);

  // ---- table ----
  const scroller = h('div', { class: 'mt-rt', tabindex: '0', role: 'grid', 'aria-label': 'runs' });
  const head = h('div', { class: 'mt-rt-head', role: 'row' });
  const body = h('div', { class: 'mt-rt-body', role: 'rowgroup' });
  const empty = h('div', { class: 'mt-rt-empty mt-muted', hidden: true });
  scroller.append(head, body, empty);
  root.append(toolbar, filterError, scroller);
  root.classList.add('mt-rt-root');

  // ---- filter ----
  const applyFilter = () => {
    const unchanged = filterInput.value === st.filter && filterError.hidden;
    if (unchanged) return;
    st.filter = filterInput.value;
    save();
    void load();
  };
  filterInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      typing.cancel();
      st.filter = filterInput.value;
      save();
      void load();
    } else if (e.key === 'Escape') {
      filterInput.value = '';
      typing.cancel();
      st.filter = '';
      save();
      void load();
    }
  });
  const typing = debounce(applyFilter, 700);
  filterInput.addEventListener('input', () => typing());

  function showFilterError(e: RpcError, text: string): void {
    const pos = e.position;
    filterInput.classList.add('mt-invalid');
    const parts: (HTMLElement | string)[] = [];
    if (pos !== undefined && pos >= 0) {
      const caret = h('pre', { class: 'mt-error-box mt-rt-filter-caret' }, text + '\n' + ' '.repeat(Math.min(pos, text.length)) + '^');
      parts.push(caret);
    }
    parts.push(h('div', { class: 'mt-rt-filter-msg' }, `${e.message}${pos !== undefined && !/position/i.test(e.message) ? ` (at position ${pos})` : ''} — showing the last good result.`));
    render(filterError, ...parts);
    filterError.dataset.position = pos === undefined ? '' : String(pos);
    filterError.hidden = false;
  }
  function clearFilterError(): void {
    filterInput.classList.remove('mt-invalid');
    filterError.hidden = true;
    render(filterError);
  }

  // ---- data ----
  function effectiveFilter(): string {
    const parts = [st.filter.trim()].filter(Boolean);
    if (st.starredOnly) parts.push(`tags.${quoteKey(STAR_TAG)} = 'true'`);
    return parts.join(' and ');
  }

  async function load(): Promise<void> {
    const seq = ++loadSeq;
    const filterText = st.filter;
    const params: RunsListParams = {
      filter: effectiveFilter() || null,
      orderBy: orderByFor(st.sort, cols.length ? cols : allColumns(keys, st.layout)),
      experimentIds,
      maxResults: FIRST_PAGE,
    };
    loading = true;
    updateStatus();
    let res;
    try {
      res = await rpc('runs/list', params);
    } catch (e) {
      if (seq !== loadSeq) return;
      loading = false;
      if (e instanceof RpcError && (e.code === ErrorCode.InvalidFilter || e.code === ErrorCode.InvalidParameterValue)) showFilterError(e, filterText);
      else showLoadError(e);
      updateStatus();
      return;
    }
    if (seq !== loadSeq) return;
    clearFilterError();
    let next = res.runs;
    setRows(next, false);
    let token = res.nextPageToken;
    while (token) {
      let page;
      try {
        page = await rpc('runs/list', { ...params, maxResults: PAGE, pageToken: token });
      } catch (e) {
        if (seq === loadSeq) showLoadError(e);
        break;
      }
      if (seq !== loadSeq) return;
      next = next.concat(page.runs);
      token = page.nextPageToken;
      setRows(next, !!token);
    }
    if (seq !== loadSeq) return;
    loading = false;
    complete = true;
    setRows(next, false);
  }

  function showLoadError(e: unknown): void {
    const msg = e instanceof RpcError && e.code === -1 ? 'The backend is unreachable; retrying when it is back.' : `Could not load runs: ${(e as Error).message ?? e}`;
    render(filterError, h('div', { class: 'mt-rt-filter-msg' }, msg));
    filterError.hidden = false;
  }

  async function loadStarred(): Promise<void> {
    try {
      const res = await rpc('runs/list', { filter: `tags.${quoteKey(STAR_TAG)} = 'true'`, maxResults: 50000, experimentIds });
      starred.clear();
      for (const r of res.runs) starred.add(r.runId);
      paint(true);
    } catch {
      /* stars are optional */
    }
  }

  function setRows(next: RunRow[], more: boolean): void {
    rows = next;
    loading = more;
    rowById.clear();
    for (const r of rows) rowById.set(r.runId, r);
    const before = keys.params.length + keys.metrics.length;
    keys = discoverKeys(rows, keys);
    if (keys.params.length + keys.metrics.length !== before || cols.length === 0) rebuildColumns();
    rebuildItems();
  }

  // ---- columns ----
  function rebuildColumns(): void {
    cols = allColumns(keys, st.layout);
    shown = visibleColumns(cols, st.layout, keys);
    refreshGroupOptions();
    buildHeader();
    pool.forEach((r) => r.el.remove());
    pool = [];
    paint(true);
  }

  function refreshGroupOptions(): void {
    const cur = groupValue(st.groupBy);
    render(groupSel,
      h('option', { value: 'none' }, 'None'),
      h('option', { value: 'experiment' }, 'Experiment'),
      ...keys.params.map((k) => h('option', { value: `param:${k}` }, `Param: ${k}`)));
    groupSel.value = cur;
    if (groupSel.value !== cur) groupSel.value = 'none';
  }
  const groupValue = (g: GroupBy) => (g.kind === 'param' ? `param:${g.key}` : g.kind);
  groupSel.addEventListener('change', () => {
    const v = groupSel.value;
    st.groupBy = v === 'experiment' ? { kind: 'experiment' } : v.startsWith('param:') ? { kind: 'param', key: v.slice(6) } : { kind: 'none' };
    save();
    rebuildItems();
  });

  /** Index in `shown` of the last pinned column (pinned columns come first), or -1. */
  const lastPinned = () => {
    let k = -1;
    shown.forEach((c, i) => isPinned(c) && (k = i));
    return k;
  };
  const pinClass = (c: Column, i: number) => (isPinned(c) ? ' mt-rt-pinned' + (i === lastPinned() ? ' mt-rt-pinned-last' : '') : '');
  const totalWidth = () => CHECK_W + STAR_W + shown.reduce((a, c) => a + c.width, 0);
  const isPinned = (c: Column) => st.layout.pinned.includes(c.id);

  let dragId: string | null = null;
  function buildHeader(): void {
    const all = h('input', { type: 'checkbox', class: 'mt-rt-check-all', title: 'Select all shown runs', 'aria-label': 'select all' });
    all.addEventListener('change', () => {
      if (all.checked) for (const r of visibleRuns()) selected.add(r.runId);
      else selected.clear();
      selectionChanged();
    });
    const cells: HTMLElement[] = [
      h('div', { class: 'mt-rt-cell mt-rt-check mt-rt-pinned', style: { width: `${CHECK_W}px` } }, all),
      h('div', { class: `mt-rt-cell mt-rt-star mt-rt-pinned${lastPinned() < 0 ? ' mt-rt-pinned-last' : ''}`, style: { width: `${STAR_W}px` }, title: 'Starred' }, '★'),
    ];
    shown.forEach((c, i) => {
      const sorted = st.sort?.columnId === c.id;
      const cell = h('div', {
        class: `mt-rt-cell mt-rt-hcell${c.numeric ? ' mt-num' : ''}${pinClass(c, i)}${sorted ? ' mt-rt-sorted' : ''}`,
        style: { width: `${c.width}px` },
        title: `${c.id.replace(':', ': ')}${c.orderKey ? '' : ' (sorted in the panel)'} — click to sort, drag to move, right-click for options`,
        draggable: 'true', 'data-col': c.id, role: 'columnheader',
        'aria-sort': sorted ? (st.sort!.desc ? 'descending' : 'ascending') : 'none',
      },
        h('span', { class: 'mt-rt-hlabel' }, c.kind === 'param' ? h('span', { class: 'mt-rt-kind' }, 'p ') : c.kind.startsWith('metric') ? h('span', { class: 'mt-rt-kind' }, 'm ') : null, c.label),
        sorted ? h('span', { class: 'mt-rt-arrow' }, st.sort!.desc ? '▼' : '▲') : null,
        h('span', { class: 'mt-rt-resize', 'data-col': c.id }));
      cell.addEventListener('click', (e) => {
        if ((e.target as HTMLElement).classList.contains('mt-rt-resize')) return;
        sortBy(c);
      });
      cell.addEventListener('contextmenu', (e) => {
        e.preventDefault();
        columnMenu(e.clientX, e.clientY, c);
      });
      cell.addEventListener('dragstart', (e) => {
        dragId = c.id;
        e.dataTransfer?.setData('text/plain', c.id);
      });
      cell.addEventListener('dragover', (e) => {
        if (dragId && dragId !== c.id) e.preventDefault();
      });
      cell.addEventListener('drop', (e) => {
        e.preventDefault();
        if (dragId && dragId !== c.id) {
          st.layout = moveColumn(cols, st.layout, dragId, c.id);
          dragId = null;
          layoutChanged();
        }
      });
      cells.push(cell);
    });
    render(head, ...cells);
    head.style.width = `${totalWidth()}px`;
    body.style.width = `${totalWidth()}px`;
  }

  // Column resize by dragging the header's right edge.
  head.addEventListener('pointerdown', (e) => {
    const t = e.target as HTMLElement;
    if (!t.classList.contains('mt-rt-resize')) return;
    e.preventDefault();
    e.stopPropagation();
    const id = t.dataset.col!;
    const col = shown.find((c) => c.id === id);
    if (!col) return;
    const x0 = e.clientX, w0 = col.width;
    t.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent) => {
      col.width = Math.max(40, Math.round(w0 + ev.clientX - x0));
      st.layout.widths[id] = col.width;
      buildHeader();
      pool.forEach((r) => r.el.remove());
      pool = [];
      paint(true);
    };
    const up = () => {
      t.removeEventListener('pointermove', move);
      t.removeEventListener('pointerup', up);
      save();
    };
    t.addEventListener('pointermove', move);
    t.addEventListener('pointerup', up);
  });

  function layoutChanged(): void {
    save();
    rebuildColumns();
    if (st.layout.minMax.length) void fetchMinMax();
  }

  function sortBy(c: Column): void {
    setSort(c, st.sort?.columnId === c.id ? !st.sort.desc : c.kind !== 'attr' ? c.numeric : c.key === 'start');
  }
  function setSort(c: Column, desc: boolean): void {
    st.sort = { columnId: c.id, desc };
    save();
    buildHeader();
    if (c.orderKey) void load();
    else rebuildItems();
  }

  // ---- menus ----
  let menuEl: HTMLElement | null = null;
  const closeMenu = () => {
    menuEl?.remove();
    menuEl = null;
  };
  document.addEventListener('mousedown', (e) => {
    if (menuEl && !menuEl.contains(e.target as Node) && e.target !== colsBtn) closeMenu();
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') closeMenu();
  });
  function openMenu(x: number, y: number, content: HTMLElement[]): void {
    closeMenu();
    menuEl = h('div', { class: 'mt-menu' }, ...content);
    document.body.appendChild(menuEl);
    const r = menuEl.getBoundingClientRect();
    menuEl.style.left = `${Math.max(0, Math.min(x, innerWidth - r.width - 4))}px`;
    menuEl.style.top = `${Math.max(0, Math.min(y, innerHeight - r.height - 4))}px`;
  }
  const item = (label: string, fn: () => void) => {
    const el = h('div', { class: 'mt-menu-item' }, label);
    el.addEventListener('click', () => {
      closeMenu();
      fn();
    });
    return el;
  };
  function columnMenu(x: number, y: number, c: Column): void {
    const list = [
      item('Sort ascending', () => setSort(c, false)),
      item('Sort descending', () => setSort(c, true)),
      item(isPinned(c) ? 'Unpin' : 'Pin to the left', () => ((st.layout = setPinned(st.layout, c.id, !isPinned(c))), layoutChanged())),
      item('Hide', () => ((st.layout = setHidden(st.layout, cols, keys, c.id, true)), layoutChanged())),
    ];
    if (c.kind === 'metric') {
      const on = st.layout.minMax.includes(c.key);
      list.push(item(on ? 'Hide min/max' : 'Show min/max', () => {
        st.layout = { ...st.layout, minMax: on ? st.layout.minMax.filter((k) => k !== c.key) : [...st.layout.minMax, c.key] };
        layoutChanged();
      }));
    }
    if (c.kind === 'param') list.push(item(`Group by ${c.key}`, () => ((st.groupBy = { kind: 'param', key: c.key }), refreshGroupOptions(), save(), rebuildItems())));
    list.push(h('div', { class: 'mt-menu-sep' }), item('Columns…', () => columnsMenu()));
    openMenu(x, y, list);
  }
  function columnsMenu(): void {
    const r = colsBtn.getBoundingClientRect();
    const build = (): HTMLElement[] => {
      const ordered = orderedColumns(cols, st.layout);
      const filterBox = h('input', { type: 'search', placeholder: 'Find a column', class: 'mt-rt-colfind' });
      const listEl = h('div', { class: 'mt-rt-collist' });
      const fill = () => {
        const f = filterBox.value.toLowerCase();
        render(listEl, ...ordered.filter((c) => !f || c.label.toLowerCase().includes(f)).map((c) => {
          const vis = !isHidden(c, st.layout, keys);
          const cb = h('input', { type: 'checkbox', checked: vis, 'data-col': c.id });
          cb.addEventListener('change', () => {
            st.layout = setHidden(st.layout, cols, keys, c.id, !cb.checked);
            layoutChanged();
          });
          const pin = h('button', { class: 'mt-icon' + (isPinned(c) ? ' mt-on' : ''), title: isPinned(c) ? 'Unpin' : 'Pin to the left' }, '📌');
          pin.addEventListener('click', () => {
            st.layout = setPinned(st.layout, c.id, !isPinned(c));
            layoutChanged();
            reopen();
          });
          const move = (d: number) => {
            const ids = orderedColumns(cols, st.layout).map((x) => x.id);
            const i = ids.indexOf(c.id);
            const j = i + d;
            if (j < 0 || j >= ids.length) return;
            st.layout = moveColumn(cols, st.layout, c.id, d < 0 ? ids[j]! : ids[j + 1] ?? null);
            layoutChanged();
            reopen();
          };
          const up = h('button', { class: 'mt-icon', title: 'Move left' }, '↑');
          up.addEventListener('click', () => move(-1));
          const down = h('button', { class: 'mt-icon', title: 'Move right' }, '↓');
          down.addEventListener('click', () => move(1));
          const mm = c.kind === 'metric' ? h('button', { class: 'mt-icon' + (st.layout.minMax.includes(c.key) ? ' mt-on' : ''), title: 'Show min/max' }, '↕') : null;
          mm?.addEventListener('click', () => {
            const on = st.layout.minMax.includes(c.key);
            st.layout = { ...st.layout, minMax: on ? st.layout.minMax.filter((k) => k !== c.key) : [...st.layout.minMax, c.key] };
            layoutChanged();
            reopen();
          });
          return h('div', { class: 'mt-menu-item mt-rt-colrow' }, h('label', null, cb, ` ${c.kind === 'attr' ? '' : c.kind.startsWith('metric') ? 'm ' : 'p '}${c.label}`), h('span', { class: 'mt-spacer' }), mm, pin, up, down);
        }));
      };
      filterBox.addEventListener('input', fill);
      fill();
      const reset = item('Reset columns', () => ((st.layout = emptyLayout()), layoutChanged()));
      setTimeout(() => filterBox.focus(), 0);
      return [h('div', { class: 'mt-rt-colmenu-head' }, filterBox), listEl, h('div', { class: 'mt-menu-sep' }), reset];
    };
    const reopen = () => {
      const top = menuEl?.querySelector('.mt-rt-collist')?.scrollTop ?? 0;
      openMenu(r.left, r.bottom + 2, build());
      const l = menuEl?.querySelector('.mt-rt-collist');
      if (l) l.scrollTop = top;
    };
    reopen();
  }
  colsBtn.addEventListener('click', () => (menuEl ? closeMenu() : columnsMenu()));

  // ---- display items (grouping, client-side sort) ----
  function visibleRuns(): RunRow[] {
    return items.filter((x): x is RunRow => !isGroupHeader(x));
  }
  function rebuildItems(): void {
    let list = rows;
    const sc = st.sort && cols.find((c) => c.id === st.sort!.columnId);
    if (sc && !sc.orderKey) {
      const desc = st.sort!.desc;
      list = [...rows].sort((a, b) => compareRows(a, b, sc, desc, minMax));
    }
    items = groupRows(list, st.groupBy, new Set(st.collapsed));
    body.style.height = `${items.length * ROW_H}px`;
    empty.hidden = items.length > 0 || loading;
    empty.textContent = st.filter || st.starredOnly ? 'No runs match the filter.' : 'No runs yet. Track a script to see it here.';
    updateStatus();
    paint(true);
    if (st.layout.minMax.length) void fetchMinMax();
  }

  function updateStatus(): void {
    const n = rows.length;
    statusEl.textContent = `${n.toLocaleString()} run${n === 1 ? '' : 's'}${loading ? (n ? ' (loading more…)' : ' loading…') : ''}`;
    const sel = selected.size;
    selInfo.textContent = sel ? `${sel} selected` : '';
    clearSelBtn.hidden = sel === 0;
    compareBtn.disabled = sel < 2;
    chartBtn.disabled = sel < 1;
    compareBtn.title = sel < 2 ? 'Select two or more runs to compare' : `Compare ${sel} runs`;
    chartBtn.title = sel < 1 ? 'Select runs to chart' : `Chart the metrics of ${sel} runs`;
    starBtn.classList.toggle('mt-on', st.starredOnly);
  }

  // ---- virtualized rows ----
  interface PoolRow {
    el: HTMLElement;
    check: HTMLInputElement;
    star: HTMLElement;
    cells: HTMLElement[];
    label: HTMLElement;
    idx: number;
    ver: number;
  }
  let pool: PoolRow[] = [];
  let ver = 0;
  let rafPending = false;

  function makeRow(): PoolRow {
    const check = h('input', { type: 'checkbox', tabindex: '-1', 'aria-label': 'select run' });
    const star = h('div', { class: `mt-rt-cell mt-rt-star mt-rt-pinned${lastPinned() < 0 ? ' mt-rt-pinned-last' : ''}`, style: { width: `${STAR_W}px` } });
    const cells = shown.map((c, i) =>
      h('div', { class: `mt-rt-cell${c.numeric ? ' mt-num' : ''}${pinClass(c, i)}`, style: { width: `${c.width}px` } }));
    const label = h('div', { class: 'mt-rt-grouplabel' });
    const el = h('div', { class: 'mt-rt-row', role: 'row', style: { width: `${totalWidth()}px` } },
      h('div', { class: 'mt-rt-cell mt-rt-check mt-rt-pinned', style: { width: `${CHECK_W}px` } }, check), star, ...cells, label);
    body.appendChild(el);
    return { el, check, star, cells, label, idx: -1, ver: -1 };
  }

  /** Renders the rows in view; `force` re-renders rows whose item did not change (data or selection changed). */
  function paint(force = false): void {
    if (force) ver++;
    if (rafPending) return;
    rafPending = true;
    requestAnimationFrame(() => {
      rafPending = false;
      paintNow();
    });
  }

  let viewHeight = 0, headHeight = 26, lastScrollTop = 0;
  const measure = () => {
    viewHeight = scroller.clientHeight;
    headHeight = head.offsetHeight || 26;
  };
  function paintNow(): void {
    if (!viewHeight) measure();
    lastScrollTop = scroller.scrollTop;
    const viewH = viewHeight || 600;
    const top = Math.max(0, lastScrollTop - headHeight);
    const first = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
    const last = Math.min(items.length, Math.ceil((top + viewH) / ROW_H) + OVERSCAN);
    const need = last - first;
    while (pool.length < need) pool.push(makeRow());
    // Keep rows that still show an item in range where they are; recycle the others.
    const byIdx = new Map<number, PoolRow>();
    const free: PoolRow[] = [];
    for (const r of pool) {
      if (r.idx >= first && r.idx < last && !byIdx.has(r.idx)) byIdx.set(r.idx, r);
      else free.push(r);
    }
    for (let i = first; i < last; i++) {
      let r = byIdx.get(i);
      if (!r) {
        r = free.pop()!;
        r.idx = -2;
      }
      if (r.idx !== i || r.ver !== ver) fillRow(r, i);
    }
    for (const r of free) {
      r.idx = -1;
      r.el.style.display = 'none';
    }
  }

  function fillRow(r: PoolRow, i: number): void {
    const it = items[i]!;
    r.idx = i;
    r.ver = ver;
    r.el.style.display = '';
    r.el.style.transform = `translateY(${i * ROW_H}px)`;
    r.el.dataset.idx = String(i);
    if (isGroupHeader(it)) {
      r.el.className = 'mt-rt-row mt-rt-group';
      r.el.dataset.runId = '';
      r.el.dataset.group = it.key;
      r.label.textContent = `${it.collapsed ? '▶' : '▼'} ${it.label}  (${it.count})`;
      r.check.checked = false;
      return;
    }
    const sel = selected.has(it.runId);
    r.el.className = 'mt-rt-row' + (sel ? ' mt-rt-selected' : '') + (i === focusIdx ? ' mt-rt-focus' : '');
    r.el.dataset.runId = it.runId;
    r.el.dataset.group = '';
    r.check.checked = sel;
    const isStar = starred.has(it.runId);
    r.star.textContent = isStar ? '★' : '☆';
    r.star.classList.toggle('mt-on', isStar);
    for (let c = 0; c < shown.length; c++) {
      const col = shown[c]!;
      const cell = r.cells[c]!;
      fillCell(cell, it, col);
    }
  }

  function fillCell(cell: HTMLElement, row: RunRow, col: Column): void {
    if (col.kind === 'attr') {
      switch (col.key) {
        case 'name': {
          const sw = cell.firstChild as HTMLElement | null;
          if (!sw || !(sw instanceof HTMLElement)) {
            cell.textContent = '';
            cell.append(h('span', { class: 'mt-swatch' }), document.createTextNode(''));
          }
          (cell.firstChild as HTMLElement).style.background = runColor(row.runId);
          (cell.lastChild as Text).data = row.name || shortId(row.runId);
          cell.title = `${row.name ?? ''} (${row.runId})`;
          return;
        }
        case 'status':
          cell.textContent = row.status;
          cell.className = cell.className.replace(/ mt-status-\w+/g, '') + ` mt-status-${row.status.toLowerCase()}`;
          return;
        case 'start':
          cell.textContent = formatTime(row.startTime);
          return;
        case 'duration':
          cell.textContent = formatDuration(cellValue(row, col) as number | undefined);
          return;
        case 'runId':
          cell.textContent = shortId(row.runId);
          return;
      }
      const v = cellValue(row, col);
      cell.textContent = v === undefined ? '' : String(v);
      cell.title = cell.textContent;
      return;
    }
    const v = cellValue(row, col, minMax);
    if (col.kind === 'param') {
      cell.textContent = v === undefined ? '' : String(v);
      cell.title = cell.textContent;
    } else {
      cell.textContent = v === undefined ? ((col.kind === 'metricMin' || col.kind === 'metricMax') && row.metrics[col.key] !== undefined ? '…' : '') : formatValue(v as number);
      cell.title = v === undefined ? '' : String(v);
    }
  }

  let lastScrollLeft = 0;
  scroller.addEventListener('scroll', () => {
    // Scroll events come once per frame, before rAF: render the rows in view right away (no frame of lag).
    const sl = scroller.scrollLeft; // read before paintNow writes, so no forced layout
    paintNow();
    if (sl !== lastScrollLeft) {
      lastScrollLeft = sl;
      scroller.style.setProperty('--mt-sl', `${sl}px`);
      scroller.classList.toggle('mt-rt-hscrolled', sl > 0);
    }
    st.scrollTop = lastScrollTop;
    st.scrollLeft = sl;
    save();
    if (st.layout.minMax.length) fetchMinMaxSoon();
  }, { passive: true });
  if (typeof ResizeObserver !== 'undefined') new ResizeObserver(() => (measure(), paint())).observe(scroller);

  // ---- row interaction ----
  const rowOf = (t: EventTarget | null) => (t as HTMLElement | null)?.closest?.('.mt-rt-row') as HTMLElement | null;
  body.addEventListener('click', (e) => {
    const el = rowOf(e.target);
    if (!el) return;
    const idx = Number(el.dataset.idx);
    const it = items[idx];
    if (!it) return;
    if (isGroupHeader(it)) return toggleGroup(it);
    const t = e.target as HTMLElement;
    if (t.classList.contains('mt-rt-star')) return void toggleStar(it.runId);
    const me = e as MouseEvent;
    if (t instanceof HTMLInputElement || me.ctrlKey || me.metaKey || me.shiftKey) {
      if (me.shiftKey && anchorIdx >= 0) {
        const [a, b] = [Math.min(anchorIdx, idx), Math.max(anchorIdx, idx)];
        for (let i = a; i <= b; i++) {
          const x = items[i];
          if (x && !isGroupHeader(x)) selected.add(x.runId);
        }
      } else if (selected.has(it.runId)) selected.delete(it.runId);
      else selected.add(it.runId);
      anchorIdx = idx;
      selectionChanged();
    }
    focusIdx = idx;
    paint(true);
  });
  body.addEventListener('dblclick', (e) => {
    const el = rowOf(e.target);
    if (!el || (e.target as HTMLElement).closest('.mt-rt-check,.mt-rt-star')) return;
    const it = items[Number(el.dataset.idx)];
    if (it && !isGroupHeader(it)) openRun(it.runId);
  });
  scroller.addEventListener('keydown', (e) => {
    if (e.target !== scroller) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      focusIdx = Math.max(0, Math.min(items.length - 1, focusIdx + (e.key === 'ArrowDown' ? 1 : -1)));
      const y = focusIdx * ROW_H;
      const viewTop = scroller.scrollTop, viewH = scroller.clientHeight - head.offsetHeight;
      if (y < viewTop) scroller.scrollTop = y;
      else if (y + ROW_H > viewTop + viewH) scroller.scrollTop = y + ROW_H - viewH;
      paint(true);
    } else if (e.key === ' ' || e.key === 'Enter') {
      const it = items[focusIdx];
      if (!it) return;
      e.preventDefault();
      if (isGroupHeader(it)) toggleGroup(it);
      else if (e.key === 'Enter') openRun(it.runId);
      else {
        if (selected.has(it.runId)) selected.delete(it.runId);
        else selected.add(it.runId);
        selectionChanged();
      }
    }
  });

  function toggleGroup(g: GroupHeader): void {
    const i = st.collapsed.indexOf(g.key);
    if (i >= 0) st.collapsed.splice(i, 1);
    else st.collapsed.push(g.key);
    save();
    rebuildItems();
  }

  function selectionChanged(): void {
    st.selected = [...selected];
    save();
    updateStatus();
    paint(true);
    const allBox = head.querySelector('.mt-rt-check-all') as HTMLInputElement | null;
    if (allBox) {
      const n = visibleRuns().length;
      allBox.checked = n > 0 && selected.size >= n;
      allBox.indeterminate = selected.size > 0 && selected.size < n;
    }
  }
  clearSelBtn.addEventListener('click', () => {
    selected.clear();
    selectionChanged();
  });
  compareBtn.addEventListener('click', () => selected.size >= 2 && openCompare(orderedSelection()));
  chartBtn.addEventListener('click', () => selected.size >= 1 && openChart(orderedSelection()));
  /** The selection in table order (then any selected runs no longer shown). */
  function orderedSelection(): string[] {
    const inTable = rows.filter((r) => selected.has(r.runId)).map((r) => r.runId);
    const rest = [...selected].filter((id) => !rowById.has(id));
    return [...inTable, ...rest];
  }
  starBtn.addEventListener('click', () => {
    st.starredOnly = !st.starredOnly;
    save();
    void load();
  });
  csvBtn.addEventListener('click', () => download('runs.csv', rowsToCsv(visibleRuns(), shown, minMax), 'text/csv'));

  async function toggleStar(runId: string): Promise<void> {
    const on = !starred.has(runId);
    if (on) starred.add(runId);
    else starred.delete(runId);
    paint(true);
    try {
      if (on) await rpc('runs/setTag', { runId, key: STAR_TAG, value: 'true' });
      else await rpc('runs/deleteTag', { runId, key: STAR_TAG });
    } catch (e) {
      if (on) starred.delete(runId);
      else starred.add(runId);
      paint(true);
      console.error('star failed', e);
    }
  }

  // ---- min/max on demand (runs/get of the rows in view) ----
  let mmBusy = false;
  const fetchMinMaxSoon = debounce(() => void fetchMinMax(), 120);
  async function fetchMinMax(): Promise<void> {
    if (mmBusy || st.layout.minMax.length === 0) return;
    mmBusy = true;
    try {
      const top = scroller.scrollTop;
      const first = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
      const last = Math.min(items.length, Math.ceil((top + scroller.clientHeight) / ROW_H) + OVERSCAN);
      const ids: string[] = [];
      for (let i = first; i < last; i++) {
        const it = items[i];
        if (it && !isGroupHeader(it) && !minMax.has(it.runId)) ids.push(it.runId);
      }
      for (let i = 0; i < ids.length; i += 8) {
        const chunk = ids.slice(i, i + 8);
        const ds = await Promise.all(chunk.map((id) => rpc('runs/get', { runId: id }).catch(() => null)));
        ds.forEach((d, j) => {
          const rec: Record<string, { min: any; max: any }> = {};
          for (const m of d?.metrics ?? []) rec[m.key] = { min: m.min, max: m.max };
          minMax.set(chunk[j]!, rec);
        });
        paint(true);
      }
    } finally {
      mmBusy = false;
    }
  }

  // ---- live updates ----
  const reloadSoon = debounce(() => void load(), 1000);
  const starsSoon = debounce(() => void loadStarred(), 500);
  onNotification('runs/changed', (p) => {
    const row = rowById.get(p.runId);
    switch (p.kind) {
      case 'metrics':
        if (row && p.metrics) {
          let newKey = false;
          for (const [k, v] of Object.entries(p.metrics)) {
            if (!(k in row.metrics) && !keys.metrics.includes(k)) newKey = true;
            row.metrics[k] = v;
          }
          minMax.delete(p.runId);
          if (p.status) row.status = p.status;
          if (newKey) {
            keys = discoverKeys(rows, keys);
            rebuildColumns();
          } else paint(true);
          // A server-side sort or filter on metrics may now order/select differently.
          if (st.sort || st.filter) reloadSoon();
        } else if (!row) reloadSoon();
        break;
      case 'status':
        if (row && p.status) {
          row.status = p.status;
          paint(true);
        }
        reloadSoon();
        break;
      case 'tags':
        starsSoon();
        if (st.starredOnly) reloadSoon();
        break;
      default:
        reloadSoon();
    }
  });
  onReconnect(() => {
    void load();
    void loadStarred();
  });
  onPreferences((p, c) => {
    if (!c.changed.includes('tableDensity')) return;
    const next = rowHeight(p.tableDensity);
    if (next === ROW_H) return;
    // Keep the row at the top of the view where it is.
    const top = scroller.scrollTop;
    const ratio = next / ROW_H;
    ROW_H = next;
    root.style.setProperty('--mt-row-h', `${ROW_H}px`);
    rebuildItems();
    scroller.scrollTop = top * ratio;
    paint(true);
  });
  // Durations of running runs tick.
  setInterval(() => {
    if (rows.some((r) => r.status === 'RUNNING') && shown.some((c) => c.id === 'attr:duration')) paint(true);
  }, 1000);

  // ---- start ----
  cols = allColumns(keys, st.layout);
  shown = visibleColumns(cols, st.layout, keys);
  refreshGroupOptions();
  buildHeader();
  updateStatus();
  let restored = false;
  const restoreScroll = () => {
    if (restored || !complete) return;
    restored = true;
    scroller.scrollTop = st.scrollTop;
    scroller.scrollLeft = st.scrollLeft;
  };
  void load().then(restoreScroll);
  setTimeout(() => void loadStarred(), 300);
  (globalThis as any).__mltrackRuns = { rows: () => rows.length, items: () => items.length, selected: () => [...selected], rowHeight: () => ROW_H };
}
