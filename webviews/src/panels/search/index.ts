// Search results page: every hit of search/query grouped by kind, the matched text highlighted, filters by kind and
// date, a query box, and keyboard navigation (↑/↓ move, Enter opens, / focuses the query box).
import './search.css';
import type { SearchHit, SearchHitKind, SearchQueryResult } from '../../../../extension/src/protocol';
import { onReconnect, rpc } from '../../transport';
import { loadState, saveState } from '../../state';
import { openChart, openRun, openRuns } from '../../nav';
import { debounce, errorText, formatTime, h, message, render } from '../../dom';
import { countByKind, DATE_RANGES, filterHits, groupHits, highlight, hitTime, KIND_LABEL, KIND_ORDER, moveSelection, queryTerms, type DateRange } from './logic';

interface SearchState {
  query: string;
  kinds: SearchHitKind[];
  range: DateRange;
}

const LIMIT = 200;

export function mount(root: HTMLElement, args: any): void {
  const initial = typeof args?.query === 'string' ? args.query : typeof args?.text === 'string' ? args.text : '';
  const st: SearchState = { query: initial, kinds: [], range: 'any', ...(loadState<SearchState>() ?? {}) };
  const save = () => saveState(st);

  root.classList.add('sr-root');
  const input = h('input', { type: 'search', class: 'sr-query', placeholder: 'Search runs, experiments, params, tags, metrics, artifacts', value: st.query, 'aria-label': 'Search' });
  const kindBar = h('div', { class: 'sr-kinds', role: 'group', 'aria-label': 'Filter by kind' });
  const rangeSel = h('select', { class: 'sr-range', 'aria-label': 'Filter by date' }, DATE_RANGES.map((r) => h('option', { value: r.value, selected: r.value === st.range }, r.label)));
  const status = h('div', { class: 'sr-status mt-muted', role: 'status' });
  const list = h('div', { class: 'sr-results', role: 'listbox', tabindex: '0', 'aria-label': 'Search results' });
  render(
    root,
    h('div', { class: 'mt-toolbar sr-toolbar' }, input, h('button', { class: 'sr-go', onclick: () => void search() }, 'Search'), rangeSel),
    h('div', { class: 'sr-filters' }, kindBar),
    status,
    list,
  );

  let result: SearchQueryResult | null = null;
  let searchedFor = '';
  const runTimes = new Map<string, number>();
  const experimentTimes = new Map<string, number>();
  let visible: SearchHit[] = [];
  let rows: HTMLElement[] = [];
  let selected = -1;
  let seq = 0;

  async function search(): Promise<void> {
    const q = input.value.trim();
    st.query = q;
    save();
    if (!q) {
      result = null;
      searchedFor = '';
      draw();
      return;
    }
    const my = ++seq;
    status.textContent = 'Searching…';
    try {
      const r = await rpc('search/query', { text: q, limit: LIMIT });
      if (my !== seq) return;
      result = r;
      searchedFor = q;
      selected = -1;
      draw();
      void loadTimes(r.hits, my);
    } catch (e) {
      if (my !== seq) return;
      result = null;
      render(list, message(`Search failed: ${errorText(e)}`, 'error'));
      status.textContent = '';
    }
  }
  const searchSoon = debounce(() => void search(), 250);

  /** Start times of the hits' runs and creation times of their experiments (for the date filter and the rows). */
  async function loadTimes(hits: SearchHit[], my: number): Promise<void> {
    const ids = [...new Set(hits.map((x) => x.runId).filter((x): x is string => !!x && !runTimes.has(x)))];
    const needExperiments = hits.some((x) => !x.runId && x.experimentId && !experimentTimes.has(x.experimentId));
    try {
      if (ids.length) {
        const quoted = ids.map((id) => `'${id.replace(/'/g, "''")}'`).join(', ');
        const res = await rpc('runs/list', { filter: `attributes.run_id IN (${quoted})`, maxResults: Math.min(50000, ids.length), view: 'all' });
        for (const r of res.runs) runTimes.set(r.runId, r.startTime);
      }
      if (needExperiments) for (const e of await rpc('experiments/list', { view: 'all' })) experimentTimes.set(e.experimentId, e.creationTime);
    } catch (e) {
      console.warn('search: could not load the hits’ dates', e);
    }
    if (my === seq) draw(true);
  }

  function draw(keepScroll = false): void {
    drawKinds();
    if (!result) {
      visible = [];
      rows = [];
      status.textContent = '';
      render(list, message(st.query ? '' : 'Type a query: every word matches as a prefix (a typo is tolerated when exact matches are few).', 'info'));
      return;
    }
    const f = { kinds: new Set(st.kinds), range: st.range };
    const shown = filterHits(result.hits, f, runTimes, experimentTimes, Date.now());
    const groups = groupHits(shown);
    visible = groups.flatMap((g) => g.hits);
    const terms = queryTerms(searchedFor);
    const scroll = list.scrollTop;
    rows = [];
    const nodes = groups.map((g) =>
      h(
        'section',
        { class: 'sr-group', 'data-kind': g.kind },
        h('h2', { class: 'sr-group-title' }, g.label, h('span', { class: 'sr-group-count' }, String(g.hits.length))),
        g.hits.map((hit) => {
          const i = rows.length;
          const t = hitTime(hit, runTimes, experimentTimes);
          const row = h(
            'div',
            {
              class: `sr-hit sr-kind-${hit.kind}`,
              role: 'option',
              'aria-selected': 'false',
              'data-index': String(i),
              onclick: () => (setSelected(i), openHit(hit)),
              onmousemove: () => selected !== i && setSelected(i, false),
            },
            h('div', { class: 'sr-title' }, hl(hit.title, terms, result!.fuzzy)),
            h(
              'div',
              { class: 'sr-detail mt-muted' },
              hl(hit.detail, terms, result!.fuzzy),
              t !== undefined ? h('span', { class: 'sr-time' }, ` · ${formatTime(t)}`) : null,
            ),
            hit.matchedText && !hit.title.toLowerCase().includes(hit.matchedText.toLowerCase()) && !hit.detail.toLowerCase().includes(hit.matchedText.toLowerCase())
              ? h('div', { class: 'sr-matched' }, hl(clip(hit.matchedText, terms), terms, result!.fuzzy))
              : null,
          );
          rows.push(row);
          return row;
        }),
      ),
    );
    const hidden = result.hits.length - shown.length;
    status.textContent =
      `${result.hits.length}${result.hits.length >= LIMIT ? '+' : ''} result${result.hits.length === 1 ? '' : 's'} for “${searchedFor}”` +
      (hidden ? ` · ${hidden} hidden by the filters` : '') +
      (result.fuzzy ? ' · including near matches (one typo tolerated)' : '');
    render(list, nodes.length ? nodes : message(result.hits.length ? 'No result passes the filters.' : 'No results.', 'info'));
    if (keepScroll) list.scrollTop = scroll;
    if (selected >= visible.length) selected = visible.length - 1;
    if (selected >= 0) setSelected(selected, false);
  }

  function hl(text: string, terms: string[], fuzzy: boolean): Node[] {
    return highlight(text ?? '', terms, fuzzy).map((s) => (s.match ? h('mark', null, s.text) : document.createTextNode(s.text)));
  }

  /** A long matched text cut around its first match. */
  function clip(text: string, terms: string[]): string {
    if (text.length <= 200) return text;
    const lower = text.toLowerCase();
    const at = Math.max(0, Math.min(...terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0), text.length));
    const from = Math.max(0, at - 60);
    return (from > 0 ? '…' : '') + text.slice(from, from + 200) + (from + 200 < text.length ? '…' : '');
  }

  function drawKinds(): void {
    const counts = result ? countByKind(result.hits) : new Map<SearchHitKind, number>();
    const chosen = new Set(st.kinds);
    render(
      kindBar,
      h('span', { class: 'mt-muted' }, 'Show:'),
      h(
        'button',
        {
          class: `sr-chip${chosen.size === 0 ? ' sr-chip-on' : ''}`,
          'aria-pressed': String(chosen.size === 0),
          'data-kind': 'all',
          onclick: () => ((st.kinds = []), save(), draw()),
        },
        'All',
        result ? h('span', { class: 'sr-chip-count' }, String(result.hits.length)) : null,
      ),
      KIND_ORDER.map((k) =>
        h(
          'button',
          {
            class: `sr-chip${chosen.has(k) ? ' sr-chip-on' : ''}`,
            'aria-pressed': String(chosen.has(k)),
            'data-kind': k,
            disabled: !!result && !counts.get(k) && !chosen.has(k),
            onclick: () => {
              const next = new Set(st.kinds);
              if (next.has(k)) next.delete(k);
              else next.add(k);
              st.kinds = KIND_ORDER.filter((x) => next.has(x));
              save();
              draw();
            },
          },
          KIND_LABEL[k],
          result ? h('span', { class: 'sr-chip-count' }, String(counts.get(k) ?? 0)) : null,
        ),
      ),
    );
  }

  function setSelected(i: number, scroll = true): void {
    if (selected >= 0 && rows[selected]) {
      rows[selected]!.classList.remove('sr-selected');
      rows[selected]!.setAttribute('aria-selected', 'false');
    }
    selected = i;
    const row = rows[i];
    if (!row) return;
    row.classList.add('sr-selected');
    row.setAttribute('aria-selected', 'true');
    list.setAttribute('aria-activedescendant', (row.id ||= `sr-hit-${i}`));
    if (scroll) row.scrollIntoView({ block: 'nearest' });
  }

  function openHit(hit: SearchHit): void {
    if (hit.kind === 'experiment') {
      if (hit.experimentId) openRuns({ filter: `attributes.experiment_id = '${hit.experimentId}'` });
      return;
    }
    if (!hit.runId) return;
    if (hit.kind === 'metric') openChart([hit.runId], hit.title);
    else openRun(hit.runId);
  }

  function onKey(e: KeyboardEvent): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setSelected(moveSelection(selected, e.key === 'ArrowDown' ? 1 : -1, visible.length));
      if (document.activeElement === input && selected >= 0) list.focus();
    } else if (e.key === 'PageDown' || e.key === 'PageUp') {
      e.preventDefault();
      setSelected(moveSelection(selected, e.key === 'PageDown' ? 10 : -10, visible.length));
    } else if ((e.key === 'Home' || e.key === 'End') && document.activeElement !== input) {
      e.preventDefault();
      setSelected(e.key === 'Home' ? 0 : visible.length - 1);
    } else if (e.key === 'Enter') {
      if (document.activeElement === input) {
        e.preventDefault();
        searchSoon.cancel();
        void search();
      } else if (selected >= 0 && visible[selected]) {
        e.preventDefault();
        openHit(visible[selected]!);
      }
    } else if (e.key === '/' && document.activeElement !== input) {
      e.preventDefault();
      input.focus();
      input.select();
    } else if (e.key === 'Escape' && document.activeElement !== input) {
      input.focus();
    }
  }

  input.addEventListener('input', () => searchSoon());
  root.addEventListener('keydown', onKey);
  rangeSel.addEventListener('change', () => {
    st.range = rangeSel.value as DateRange;
    save();
    draw();
  });
  onReconnect(() => void search());

  draw();
  if (st.query) void search();
  input.focus();
}
