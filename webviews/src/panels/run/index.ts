// The run page: overview, params, tags (editable), metric charts, system metrics, live logs (virtualized, searchable),
// artifacts, inputs/outputs, and the Re-run / Stop / Compare / Lineage / Deploy buttons.
import './run.css';
import type { ArtifactInfo, RunDetail, RunFile, RunRow } from '../../../../extension/src/protocol';
import { ErrorCode } from '../../../../extension/src/protocol';
import { inVsCode, onNotification, onReconnect, postCommand, rpc, RpcError } from '../../transport';
import { loadState, saveState } from '../../state';
import { runColor } from '../../colors';
import { openCompare, openLineage, openRun } from '../../nav';
import { clear, debounce, errorText, formatDuration, formatTime, formatValue, h, message, render, shortId, statusBadge } from '../../dom';
import { mountChartGrid } from '../charts/grid';
import {
  artifactKind,
  deployState,
  formatBytes,
  imageDataUrl,
  isSystemTag,
  joinLive,
  LogBuffer,
  LogPager,
  parseCsv,
  prettyJson,
  readRange,
  runDuration,
  splitFiles,
  splitMatches,
  splitMetrics,
  tagKeyError,
  visibleRange,
} from './logic';

type Tab = 'overview' | 'metrics' | 'system' | 'logs' | 'artifacts' | 'files';
const TABS: { id: Tab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'metrics', label: 'Metrics' },
  { id: 'system', label: 'System' },
  { id: 'logs', label: 'Logs' },
  { id: 'artifacts', label: 'Artifacts' },
  { id: 'files', label: 'Inputs / outputs' },
];

interface RunPageState {
  tab: Tab;
  /** The artifact previewed in the Artifacts tab. */
  artifact?: string | null;
  logQuery: string;
  logOnlyMatches: boolean;
  logFollow: boolean;
}

const LOG_ROW_H = 18;
const LOG_ARTIFACT = 'logs/output.log';
/** Text, CSV and JSON previews show the start of the artifact. */
const PREVIEW_BYTES = 256 * 1024;
const CSV_PREVIEW_ROWS = 200;
/** artifacts/read's limit: larger images are not previewed. */
const IMAGE_MAX_BYTES = 8 << 20;
/** After the log file is read, live lines arriving this soon may repeat its last lines. */
const JOIN_WINDOW_MS = 5000;

function isNotFound(e: unknown): boolean {
  return e instanceof RpcError && (e.code === ErrorCode.ResourceDoesNotExist || (e.data as any)?.errorCode === 'RESOURCE_DOES_NOT_EXIST');
}

export function mount(root: HTMLElement, args: any): void {
  let runId: string = typeof args?.runId === 'string' ? args.runId : '';
  const st: RunPageState = { tab: 'overview', logQuery: '', logOnlyMatches: false, logFollow: true, ...(loadState<RunPageState>() ?? {}) };
  if (!TABS.some((t) => t.id === st.tab)) st.tab = 'overview';
  const save = () => saveState(st);

  root.classList.add('rp-root');
  const header = h('div', { class: 'mt-toolbar rp-header' });
  const banner = h('div', { class: 'rp-banners' });
  const tabBar = h('div', { class: 'rp-tabs', role: 'tablist' });
  const content = h('div', { class: 'rp-content' });
  const panes = new Map<Tab, HTMLElement>(TABS.map((t) => [t.id, h('div', { class: `rp-pane rp-pane-${t.id}`, role: 'tabpanel', 'data-tab': t.id })]));
  for (const p of panes.values()) content.appendChild(p);
  render(root, header, banner, tabBar, content);

  if (!runId) {
    render(content, message('No run given.', 'error'));
    return;
  }

  let run: RunDetail | null = null;
  let deleted = false;
  let editingTag = false;
  let tagError = '';
  /** What the user typed in the new-tag row: kept across redraws (live updates re-render the overview). */
  const draft = { key: '', value: '' };
  const grids = new Map<Tab, { grid: ReturnType<typeof mountChartGrid>; keys: string }>();
  const log = new LogBuffer();

  // ---------------------------------------------------------------------------------------------------------------
  async function load(): Promise<void> {
    if (!run) render(panes.get('overview')!, message('Loading the run…', 'loading'));
    try {
      const r = await rpc('runs/get', { runId });
      const ended = run?.status === 'RUNNING' && r.status !== 'RUNNING';
      run = r;
      // The output of a run read while it ran may miss lines (sent before this page listened): the complete log
      // is written before the status changes, so read it again.
      if (ended && historyWhileRunning && history !== 'idle') reloadHistory();
      runId = r.runId; // a prefix in the args becomes the full id
      deleted = r.lifecycleStage === 'deleted';
    } catch (e) {
      if (isNotFound(e)) deleted = true;
      else {
        render(banner, h('div', { class: 'mt-message mt-error rp-banner', role: 'alert' }, `Could not load the run: ${errorText(e)}`));
        return;
      }
    }
    drawAll();
  }
  const reload = debounce(() => void load(), 300);

  function drawAll(): void {
    drawBanner();
    drawHeader();
    drawTabs();
    if (!run) return;
    if (!editingTag) drawOverview(); // an open tag editor is not clobbered: the next redraw shows the update
    drawCharts('metrics');
    drawCharts('system');
    drawArtifacts();
    drawFiles();
    drawLogsChrome();
    showTab(st.tab);
  }

  function drawBanner(): void {
    if (!deleted) return clear(banner);
    render(
      banner,
      h(
        'div',
        { class: 'mt-message mt-error rp-banner rp-deleted', role: 'alert' },
        'This run was deleted.',
        run && run.lifecycleStage === 'deleted'
          ? h('button', { class: 'mt-secondary rp-restore', onclick: () => void rpc('runs/restore', { runId }).then(() => load(), (e) => alert(errorText(e))) }, 'Restore')
          : run
            ? ' What is shown below is what it held.'
            : null,
      ),
    );
  }

  function drawHeader(): void {
    if (!run) {
      render(header, h('b', null, `Run ${shortId(runId)}`));
      return;
    }
    const r = run;
    const running = r.status === 'RUNNING';
    render(
      header,
      h('span', { class: 'mt-swatch', style: { background: runColor(r.runId) } }),
      h('h1', { class: 'rp-title' }, r.name ?? shortId(r.runId)),
      statusBadge(r.status),
      h('span', { class: 'mt-muted rp-id', title: r.runId }, shortId(r.runId)),
      h('span', { class: 'mt-muted' }, r.experimentName),
      h('span', { class: 'mt-spacer' }),
      h(
        'button',
        {
          class: 'rp-rerun',
          disabled: !inVsCode() || deleted,
          title: inVsCode() ? 'Run the same command again as a new tracked run' : 'Re-run is available in VS Code',
          onclick: () => postCommand('mltrack.rerun', [r.runId]),
        },
        'Re-run',
      ),
      running && r.launchedHere
        ? h('button', { class: 'mt-secondary rp-stop', onclick: () => void rpc('runs/stop', { runId: r.runId }).then(() => load(), (e) => alert(errorText(e))) }, 'Stop')
        : null,
      h('button', { class: 'mt-secondary rp-compare', onclick: (e: Event) => void compareMenu(e.currentTarget as HTMLElement) }, 'Compare…'),
      h('button', { class: 'mt-secondary rp-lineage', onclick: () => openLineage({ runId: r.runId }) }, 'Lineage'),
      deployButton(r.runId),
    );
  }

  // Deploy: enabled when deployments/canDeploy says ok (asked once per run); VS Code runs `mltrack.deploy` (the
  // Deployment form); the browser cannot deploy (the form submits through the extension), so it stays disabled there.
  let canDeploy: { runId: string; ok: boolean; reason: string } | null = null;
  let canDeployAsked = '';
  function deployButton(id: string): HTMLElement {
    const known = canDeploy?.runId === id ? canDeploy : null;
    if (!known && canDeployAsked !== id) {
      canDeployAsked = id;
      rpc('deployments/canDeploy', { runId: id }).then(
        (c) => {
          canDeploy = { runId: id, ok: !!c.ok, reason: c.ok ? '' : c.reason || 'This run logged no model' };
          drawHeader();
        },
        (e) => {
          canDeploy = { runId: id, ok: false, reason: `Could not check the run for deployment: ${errorText(e)}` };
          drawHeader();
        },
      );
    }
    const state = deployState(known, inVsCode(), deleted);
    return h(
      'button',
      {
        class: 'mt-secondary rp-deploy',
        disabled: !state.enabled,
        title: state.title,
        'data-reason': state.enabled ? null : state.title,
        onclick: () => {
          if (state.enabled) postCommand('mltrack.deploy', [id]);
        },
      },
      'Deploy',
    );
  }

  function drawTabs(): void {
    const counts: Partial<Record<Tab, number>> = {};
    if (run) {
      const { user, system } = splitMetrics(run.metrics ?? []);
      counts.metrics = user.length;
      counts.system = system.length;
      counts.artifacts = (run.artifacts ?? []).length;
      counts.files = (run.files ?? []).length;
    }
    counts.logs = log.lines.length || undefined;
    render(
      tabBar,
      TABS.map((t) =>
        h(
          'button',
          {
            class: `rp-tab${t.id === st.tab ? ' rp-tab-active' : ''}`,
            role: 'tab',
            'aria-selected': String(t.id === st.tab),
            'data-tab': t.id,
            onclick: () => showTab(t.id),
          },
          t.label,
          counts[t.id] !== undefined ? h('span', { class: 'rp-count' }, String(counts[t.id])) : null,
        ),
      ),
    );
  }

  function showTab(tab: Tab): void {
    if (st.tab !== tab) {
      st.tab = tab;
      save();
    }
    for (const [id, pane] of panes) pane.hidden = id !== tab;
    for (const b of tabBar.querySelectorAll<HTMLElement>('.rp-tab')) {
      const on = b.dataset.tab === tab;
      b.classList.toggle('rp-tab-active', on);
      b.setAttribute('aria-selected', String(on));
    }
    if (tab === 'metrics' || tab === 'system') ensureGrid(tab);
    if (tab === 'logs') {
      drawLogRows();
      void loadHistory();
    }
  }

  // ---- overview: attributes, params, tags, metric summaries ------------------------------------------------------
  let durationEl: HTMLElement | null = null;
  function drawOverview(): void {
    const r = run!;
    const pane = panes.get('overview')!;
    const active = document.activeElement;
    const refocus = active instanceof HTMLInputElement && pane.contains(active) ? (['rp-new-tag-key', 'rp-new-tag-value'].find((c) => active.classList.contains(c)) ?? null) : null;
    const caret = refocus ? (active as HTMLInputElement).selectionStart : null;
    // re-rendering closes any inline tag editor
    editingTag = false;
    const git = r.git ?? { commit: null, branch: null, remote: null, dirty: null };
    durationEl = h('span', { class: 'rp-duration' }, formatDuration(runDuration(r, Date.now())));
    const attrs: [string, Node | string | null][] = [
      ['Status', h('span', null, statusBadge(r.status), r.exitCode !== null && r.exitCode !== undefined ? h('span', { class: 'mt-muted' }, ` exit code ${r.exitCode}`) : null)],
      ['Run id', h('code', null, r.runId)],
      ['Experiment', r.experimentName],
      ['Started', formatTime(r.startTime)],
      ['Ended', r.endTime ? formatTime(r.endTime) : r.status === 'RUNNING' ? h('span', { class: 'mt-muted' }, 'running') : ''],
      ['Duration', durationEl],
      ['Command', r.command ? h('code', { class: 'rp-command' }, r.command) : null],
      ['Working folder', r.cwd ? h('code', null, r.cwd) : null],
      ['Source file', r.sourceFile ? h('code', null, r.sourceFile) : null],
      [
        'Git',
        git.commit
          ? h(
              'span',
              null,
              h('code', { title: git.commit }, git.commit.slice(0, 12)),
              git.branch ? ` on ${git.branch}` : ' (detached)',
              git.dirty ? h('span', { class: 'rp-dirty', title: 'uncommitted changes, saved as the code.diff artifact' }, ' + uncommitted changes') : null,
              git.remote ? h('span', { class: 'mt-muted' }, ` — ${git.remote}`) : null,
            )
          : h('span', { class: 'mt-muted' }, 'not in a git repository'),
      ],
      ['User', r.user],
      ['Host', r.host],
      ['Parent run', r.parentRunId ? h('a', { href: '#', onclick: (e: Event) => (e.preventDefault(), openRun(r.parentRunId!)) }, shortId(r.parentRunId)) : null],
      ['Artifacts at', r.artifactUri ? h('code', null, r.artifactUri) : null],
    ];
    const dl = h(
      'dl',
      { class: 'rp-attrs' },
      attrs.filter(([, v]) => v !== null && v !== '').map(([k, v]) => [h('dt', null, k), h('dd', null, v)]),
    );

    const params = Object.entries(r.params ?? {}).sort(([a], [b]) => a.localeCompare(b));
    const paramsTable = params.length
      ? h(
          'table',
          { class: 'rp-table rp-params' },
          h('thead', null, h('tr', null, h('th', null, 'Param'), h('th', null, 'Value'))),
          h('tbody', null, params.map(([k, v]) => h('tr', { 'data-key': k }, h('th', null, k), h('td', null, h('code', null, v))))),
        )
      : h('div', { class: 'mt-muted' }, 'No params logged.');

    const { user } = splitMetrics(r.metrics ?? []);
    const metricsTable = user.length
      ? h(
          'table',
          { class: 'rp-table rp-metric-summary' },
          h('thead', null, h('tr', null, ['Metric', 'Latest', 'Step', 'Min', 'Max', 'Points'].map((x) => h('th', null, x)))),
          h(
            'tbody',
            null,
            user.map((m) =>
              h(
                'tr',
                null,
                h('th', null, m.key, ' ', h('span', { class: 'mt-muted', title: m.lowerIsBetter ? 'lower is better' : 'higher is better' }, m.lowerIsBetter ? '↓' : '↑')),
                h('td', { class: 'rp-num' }, formatValue(m.latest)),
                h('td', { class: 'rp-num' }, String(m.latestStep)),
                h('td', { class: 'rp-num' }, formatValue(m.min)),
                h('td', { class: 'rp-num' }, formatValue(m.max)),
                h('td', { class: 'rp-num' }, m.count.toLocaleString()),
              ),
            ),
          ),
        )
      : h('div', { class: 'mt-muted' }, 'No metrics logged.');

    render(
      pane,
      h('section', { class: 'rp-section' }, h('h2', null, 'Overview'), dl),
      h('section', { class: 'rp-section', 'data-section': 'params' }, h('h2', null, `Params (${params.length})`), paramsTable),
      h('section', { class: 'rp-section', 'data-section': 'tags' }, h('h2', null, 'Tags'), tagsView()),
      h('section', { class: 'rp-section' }, h('h2', null, 'Metrics'), metricsTable),
    );
    if (refocus) {
      const el = pane.querySelector<HTMLInputElement>(`.${refocus}`);
      el?.focus();
      if (el && caret !== null) el.setSelectionRange(caret, caret);
    }
  }

  function tagsView(): HTMLElement {
    const r = run!;
    const tags = Object.entries(r.tags ?? {}).sort(([a], [b]) => a.localeCompare(b));
    const userTags = tags.filter(([k]) => !isSystemTag(k));
    const systemTags = tags.filter(([k]) => isSystemTag(k));
    const wrap = h('div', { class: 'rp-tags' });
    const errorEl = h('div', { class: 'mt-error-box rp-tag-error', role: 'alert', hidden: !tagError }, tagError);

    const setTag = async (key: string, value: string): Promise<boolean> => {
      try {
        await rpc('runs/setTag', { runId: r.runId, key, value });
        if (run) run.tags = { ...run.tags, [key]: value };
        tagError = '';
        return true;
      } catch (e) {
        tagError = `Could not set the tag: ${errorText(e)}`;
        return false;
      }
    };

    const rows = userTags.map(([k, v]) => {
      const valueCell = h('td', { class: 'rp-tag-value' }, h('code', null, v));
      const startEdit = () => {
        if (deleted) return;
        editingTag = true;
        const input = h('input', { type: 'text', class: 'rp-tag-input', value: v, 'aria-label': `Value of tag ${k}` });
        const commit = async () => {
          const ok = await setTag(k, input.value);
          drawOverview();
          if (ok) panes.get('overview')!.querySelector<HTMLElement>(`tr.rp-tag[data-key="${CSS.escape(k)}"] .rp-tag-edit`)?.focus();
        };
        input.addEventListener('keydown', (e) => {
          if (e.key === 'Enter') void commit();
          else if (e.key === 'Escape') drawOverview();
        });
        render(
          valueCell,
          input,
          h('button', { class: 'rp-tag-save', onclick: () => void commit() }, 'Save'),
          h('button', { class: 'mt-secondary', onclick: () => drawOverview() }, 'Cancel'),
        );
        input.focus();
        input.select();
      };
      return h(
        'tr',
        { 'data-key': k, class: 'rp-tag' },
        h('th', null, k),
        valueCell,
        h(
          'td',
          { class: 'rp-tag-actions' },
          h('button', { class: 'mt-icon rp-tag-edit', title: `Edit tag ${k}`, disabled: deleted, onclick: startEdit }, '✎'),
          h(
            'button',
            {
              class: 'mt-icon rp-tag-delete',
              title: `Delete tag ${k}`,
              disabled: deleted,
              onclick: async () => {
                try {
                  await rpc('runs/deleteTag', { runId: r.runId, key: k });
                  if (run) {
                    const t = { ...run.tags };
                    delete t[k];
                    run.tags = t;
                  }
                  tagError = '';
                } catch (e) {
                  tagError = `Could not delete the tag: ${errorText(e)}`;
                }
                drawOverview();
              },
            },
            '×',
          ),
        ),
      );
    });

    const keyIn = h('input', { type: 'text', class: 'rp-new-tag-key', placeholder: 'key', 'aria-label': 'New tag key', disabled: deleted, value: draft.key });
    const valIn = h('input', { type: 'text', class: 'rp-new-tag-value', placeholder: 'value', 'aria-label': 'New tag value', disabled: deleted, value: draft.value });
    keyIn.addEventListener('input', () => (draft.key = keyIn.value));
    valIn.addEventListener('input', () => (draft.value = valIn.value));
    const add = async () => {
      const err = tagKeyError(keyIn.value);
      if (err) {
        tagError = err;
        errorEl.textContent = err;
        errorEl.hidden = false;
        keyIn.classList.add('mt-invalid');
        return;
      }
      if (await setTag(keyIn.value.trim(), valIn.value)) draft.key = draft.value = '';
      drawOverview();
      panes.get('overview')!.querySelector<HTMLInputElement>('.rp-new-tag-key')?.focus();
    };
    for (const inp of [keyIn, valIn]) inp.addEventListener('keydown', (e) => e.key === 'Enter' && void add());
    const addRow = h(
      'tr',
      { class: 'rp-tag-add' },
      h('th', null, keyIn),
      h('td', null, valIn),
      h('td', null, h('button', { class: 'rp-add-tag', disabled: deleted, onclick: () => void add() }, 'Add')),
    );

    wrap.append(
      h(
        'table',
        { class: 'rp-table rp-tags-table' },
        h('thead', null, h('tr', null, h('th', null, 'Tag'), h('th', null, 'Value'), h('th', null, ''))),
        h('tbody', null, rows, addRow),
      ),
      errorEl,
    );
    if (systemTags.length)
      wrap.append(
        h(
          'details',
          { class: 'rp-system-tags' },
          h('summary', null, `System tags (${systemTags.length})`),
          h('table', { class: 'rp-table' }, h('tbody', null, systemTags.map(([k, v]) => h('tr', null, h('th', null, k), h('td', null, h('code', null, v)))))),
        ),
      );
    return wrap;
  }

  // ---- charts --------------------------------------------------------------------------------------------------
  function keysFor(tab: 'metrics' | 'system'): string[] {
    const { user, system } = splitMetrics(run?.metrics ?? []);
    return (tab === 'metrics' ? user : system).map((m) => m.key);
  }

  function drawCharts(tab: 'metrics' | 'system'): void {
    const pane = panes.get(tab)!;
    const keys = keysFor(tab);
    const g = grids.get(tab);
    if (!keys.length) {
      if (g) (g.grid.destroy(), grids.delete(tab));
      render(pane, message(tab === 'metrics' ? 'No metrics logged.' : 'No system metrics (system/* keys) recorded for this run.', 'info'));
      return;
    }
    if (g && g.keys !== keys.join('\n')) {
      g.grid.setKeys(keys);
      g.keys = keys.join('\n');
    }
    if (!g && !pane.hidden) ensureGrid(tab);
  }

  function ensureGrid(tab: 'metrics' | 'system'): void {
    if (!run || grids.has(tab)) return;
    const keys = keysFor(tab);
    if (!keys.length) return;
    const pane = panes.get(tab)!;
    clear(pane);
    const el = h('div', { class: 'rp-charts' });
    pane.appendChild(el);
    try {
      grids.set(tab, { grid: mountChartGrid(el, { runIds: [run.runId], keys, scope: `run-${tab}` }), keys: keys.join('\n') });
    } catch (e) {
      render(pane, message(`Charts unavailable: ${errorText(e)}`, 'error'));
    }
  }

  // ---- logs ----------------------------------------------------------------------------------------------------
  const logSearch = h('input', { type: 'search', class: 'rp-log-search', placeholder: 'Search the output', value: st.logQuery, 'aria-label': 'Search the output' });
  const logCount = h('span', { class: 'mt-muted rp-log-count' });
  const logViewport = h('div', { class: 'rp-log-viewport', tabindex: '0' });
  const logSpacer = h('div', { class: 'rp-log-spacer' });
  const logRows = h('div', { class: 'rp-log-rows' });
  const logNote = h('div', { class: 'rp-log-note mt-muted' });
  logViewport.append(logSpacer, logRows);
  let matches: number[] = [];
  let currentMatch = -1;
  let logFrame = 0;

  function drawLogsChrome(): void {
    const pane = panes.get('logs')!;
    if (pane.firstChild) {
      updateLogNote();
      return;
    }
    const only = h('input', { type: 'checkbox', checked: st.logOnlyMatches, class: 'rp-log-only' });
    only.addEventListener('change', () => {
      st.logOnlyMatches = only.checked;
      save();
      recomputeMatches();
    });
    const follow = h('input', { type: 'checkbox', checked: st.logFollow, class: 'rp-log-follow' });
    follow.addEventListener('change', () => {
      st.logFollow = follow.checked;
      save();
      if (st.logFollow) scrollLogToEnd();
    });
    logSearch.addEventListener(
      'input',
      debounce(() => {
        st.logQuery = logSearch.value;
        save();
        recomputeMatches();
      }, 150),
    );
    logSearch.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') jumpMatch(e.shiftKey ? -1 : 1);
    });
    logViewport.addEventListener('scroll', () => scheduleLogDraw());
    render(
      pane,
      h(
        'div',
        { class: 'mt-toolbar rp-log-toolbar' },
        logSearch,
        h('button', { class: 'mt-icon', title: 'Previous match (Shift+Enter)', onclick: () => jumpMatch(-1) }, '↑'),
        h('button', { class: 'mt-icon', title: 'Next match (Enter)', onclick: () => jumpMatch(1) }, '↓'),
        logCount,
        h('label', null, only, 'Only matching lines'),
        h('label', null, follow, 'Follow'),
      ),
      logNote,
      logViewport,
    );
    updateLogNote();
    recomputeMatches();
  }

  // The log history: logs/output.log read from its end backwards (LOG_PAGE_BYTES at a time), then live lines.
  let pager = new LogPager();
  let history: 'idle' | 'loading' | 'loaded' | 'none' | 'error' = 'idle';
  let historyError = '';
  let loadingEarlier = false;
  /** Lines of the file that live lines may still repeat (the file is written as lines arrive), until joinUntil. */
  let joinRef: string[] | null = null;
  let joinUntil = 0;
  /** Bumped when the history is read again: answers for an older read are dropped. */
  let histGen = 0;
  let historyWhileRunning = false;

  const readLog = (offset: number, maxBytes: number) => rpc('artifacts/read', { runId, path: LOG_ARTIFACT, offset, maxBytes });

  async function loadHistory(): Promise<void> {
    if (history !== 'idle' || !run) return;
    history = 'loading';
    historyWhileRunning = run.status === 'RUNNING';
    const gen = ++histGen;
    updateLogNote();
    try {
      const probe = await readLog(0, 1);
      if (gen !== histGen) return;
      const { offset, length } = pager.nextRange(probe.size);
      const { bytes, size } = await readRange(readLog, offset, length);
      if (gen !== histGen) return;
      const lines = pager.add(offset, bytes, size);
      // live lines already shown may be the file's last lines: keep one copy
      const live = log.lines.map((l) => l.text);
      const { skip, pending } = joinLive(lines, live);
      log.lines.splice(0, skip);
      const added = log.prepend('stdout', lines);
      joinRef = pending.length ? pending : live.length ? null : lines.slice(-1000);
      joinUntil = Date.now() + JOIN_WINDOW_MS;
      history = 'loaded';
      afterHistory(added, true);
    } catch (e) {
      if (gen !== histGen) return;
      if (isNotFound(e)) history = 'none';
      else {
        history = 'error';
        historyError = errorText(e);
      }
      updateLogNote();
    }
  }

  async function loadEarlier(): Promise<void> {
    if (loadingEarlier || !pager.hasEarlier || log.full) return;
    loadingEarlier = true;
    const gen = histGen;
    updateLogNote();
    try {
      const { offset, length } = pager.nextRange();
      const { bytes } = await readRange(readLog, offset, length);
      if (gen !== histGen) return;
      const added = log.prepend('stdout', pager.add(offset, bytes));
      loadingEarlier = false;
      afterHistory(added, false);
    } catch (e) {
      if (gen !== histGen) return;
      loadingEarlier = false;
      historyError = errorText(e);
      updateLogNote();
    }
  }

  /** Lines were put before the others: keep the view where it was (or at the end when following). */
  function afterHistory(added: number, first: boolean): void {
    const keepTop = logViewport.scrollTop;
    currentMatch = -1;
    recomputeMatches();
    updateLogNote();
    drawTabs();
    if (first && st.logFollow) scrollLogToEnd();
    else if (!(st.logOnlyMatches && st.logQuery)) logViewport.scrollTop = keepTop + added * LOG_ROW_H;
    drawLogRows();
  }

  /** Live lines, minus those the log file already showed. */
  function liveLines(lines: string[]): string[] {
    if (!joinRef) return lines;
    if (Date.now() > joinUntil) {
      joinRef = null;
      return lines;
    }
    const { skip, pending } = joinLive(joinRef, lines);
    joinRef = pending.length ? pending : null;
    return skip ? lines.slice(skip) : lines;
  }

  function updateLogNote(): void {
    const parts: (Node | string)[] = [];
    const sep = () => parts.length && parts.push(' ');
    if (history === 'loading') parts.push(`Loading ${LOG_ARTIFACT}…`);
    else if (history === 'error') parts.push(h('span', { class: 'mt-error' }, `Could not read ${LOG_ARTIFACT}: ${historyError}`));
    else if (history === 'loaded' && pager.hasEarlier) {
      parts.push(
        h('span', { class: 'rp-log-range' }, `Showing the last ${formatBytes(pager.end - pager.start)} of ${formatBytes(pager.end)} of ${LOG_ARTIFACT}.`),
        ' ',
        log.full
          ? h('span', null, '(no room for earlier lines)')
          : h('button', { class: 'mt-secondary rp-log-earlier', disabled: loadingEarlier, onclick: () => void loadEarlier() }, loadingEarlier ? 'Loading…' : 'Load earlier'),
      );
      if (historyError) (sep(), parts.push(h('span', { class: 'mt-error' }, historyError)));
    }
    if (!log.lines.length && history !== 'loading' && history !== 'error') {
      sep();
      parts.push(
        run?.status === 'RUNNING' && run.launchedHere
          ? 'Waiting for output…'
          : history === 'none' || history === 'loaded'
            ? 'No output recorded for this run.'
            : '',
      );
    }
    if (history !== 'idle' && history !== 'loading' && run?.status === 'RUNNING' && !run.launchedHere) {
      sep();
      parts.push(
        'This run was not launched here: its new output shows when the log is read again. ',
        h('button', { class: 'mt-secondary rp-log-reload', onclick: () => reloadHistory() }, 'Read again'),
      );
    }
    if (log.dropped) (sep(), parts.push(`${log.dropped.toLocaleString()} older lines dropped.`));
    const shown = parts.filter((p) => p !== '');
    render(logNote, shown);
    logNote.hidden = shown.length === 0;
  }

  function reloadHistory(): void {
    histGen++;
    loadingEarlier = false;
    joinRef = null;
    log.lines.length = 0;
    log.dropped = 0;
    pager = new LogPager();
    history = 'idle';
    historyError = '';
    void loadHistory();
  }

  function recomputeMatches(): void {
    const q = st.logQuery;
    matches = q ? log.search(q) : [];
    currentMatch = Math.min(currentMatch, matches.length - 1);
    logCount.textContent = q ? `${matches.length.toLocaleString()} match${matches.length === 1 ? '' : 'es'}` : `${log.lines.length.toLocaleString()} lines`;
    drawLogRows();
  }

  /** The line indices shown: every line, or only the matching ones. */
  const shownLines = (): number[] | null => (st.logOnlyMatches && st.logQuery ? matches : null);

  function scheduleLogDraw(): void {
    if (logFrame) return;
    logFrame = requestAnimationFrame(() => {
      logFrame = 0;
      drawLogRows();
    });
  }

  function drawLogRows(): void {
    if (panes.get('logs')!.hidden) return;
    const shown = shownLines();
    const count = shown ? shown.length : log.lines.length;
    logSpacer.style.height = `${count * LOG_ROW_H}px`;
    const [first, last] = visibleRange(logViewport.scrollTop, logViewport.clientHeight || 400, LOG_ROW_H, count);
    const q = st.logQuery;
    const cur = currentMatch >= 0 ? matches[currentMatch] : -1;
    const partialHistory = history === 'loaded' && pager.hasEarlier;
    const rows: HTMLElement[] = [];
    for (let i = first; i < last; i++) {
      const li = shown ? shown[i]! : i;
      const line = log.lines[li]!;
      rows.push(
        h(
          'div',
          {
            class: `rp-log-line rp-${line.stream}${li === cur ? ' rp-log-current' : ''}`,
            style: { top: `${i * LOG_ROW_H}px` },
            'data-line': String(li + 1),
          },
          // numbers count from the file's first line: unknown while its start is not loaded
          h('span', { class: 'rp-log-no' }, partialHistory ? '' : String(li + 1 + log.dropped)),
          splitMatches(line.text, q).map((s) => (s.match ? h('mark', null, s.text) : s.text)),
        ),
      );
    }
    render(logRows, rows);
  }

  function scrollLogToEnd(): void {
    logViewport.scrollTop = logViewport.scrollHeight;
    scheduleLogDraw();
  }

  function jumpMatch(delta: number): void {
    if (!matches.length) return;
    currentMatch = (currentMatch + delta + matches.length) % matches.length;
    const li = matches[currentMatch]!;
    const shown = shownLines();
    const row = shown ? currentMatch : li;
    st.logFollow = false;
    const f = panes.get('logs')!.querySelector<HTMLInputElement>('.rp-log-follow');
    if (f) f.checked = false;
    logViewport.scrollTop = Math.max(0, row * LOG_ROW_H - logViewport.clientHeight / 2);
    logCount.textContent = `${currentMatch + 1} of ${matches.length.toLocaleString()}`;
    drawLogRows();
  }

  const onLogLines = debounce(() => {
    recomputeMatches();
    updateLogNote();
    if (st.logFollow) scrollLogToEnd();
    const badge = tabBar.querySelector('[data-tab="logs"] .rp-count');
    if (badge) badge.textContent = String(log.lines.length);
    else drawTabs();
  }, 50);

  // ---- artifacts, inputs/outputs --------------------------------------------------------------------------------
  const artPreview = h('div', { class: 'rp-preview' });
  /** path + sha256 of what artPreview shows (or is loading). */
  let previewKey = '';

  function drawArtifacts(): void {
    const r = run!;
    const pane = panes.get('artifacts')!;
    const arts = [...(r.artifacts ?? [])].sort((a, b) => a.path.localeCompare(b.path));
    if (!arts.length) return render(pane, message('No artifacts.', 'info'));
    const total = arts.reduce((s, a) => s + a.size, 0);
    const selected = arts.find((a) => a.path === st.artifact) ?? null;
    render(
      pane,
      h('div', { class: 'mt-muted rp-pad' }, `${arts.length} artifacts, ${formatBytes(total)}. Choose one to preview it.`),
      h(
        'table',
        { class: 'rp-table rp-artifacts' },
        h('thead', null, h('tr', null, h('th', null, 'Path'), h('th', null, 'Kind'), h('th', { class: 'rp-num' }, 'Size'), h('th', null, 'sha256'), h('th', null, ''))),
        h(
          'tbody',
          null,
          arts.map((a) =>
            h(
              'tr',
              { 'data-path': a.path, class: a === selected ? 'rp-artifact-selected' : '' },
              h(
                'td',
                null,
                h(
                  'a',
                  { href: '#', class: 'rp-artifact-link', title: 'Preview', onclick: (e: Event) => (e.preventDefault(), selectArtifact(a.path)) },
                  h('code', null, a.path),
                ),
              ),
              h('td', { class: 'mt-muted' }, artifactKind(a.path)),
              h('td', { class: 'rp-num', title: `${a.size.toLocaleString()} bytes` }, formatBytes(a.size)),
              h('td', null, h('code', { class: 'mt-muted', title: a.sha256 }, a.sha256.slice(0, 12))),
              h(
                'td',
                null,
                inVsCode()
                  ? h('button', { class: 'mt-secondary rp-open-artifact', onclick: () => postCommand('mltrack.openArtifact', [r.runId, a.path]) }, 'Open in editor')
                  : null,
              ),
            ),
          ),
        ),
      ),
      selected ? artPreview : null,
    );
    if (selected) void preview(selected);
  }

  function selectArtifact(path: string): void {
    st.artifact = st.artifact === path ? null : path;
    save();
    drawArtifacts();
  }

  async function preview(a: ArtifactInfo): Promise<void> {
    const key = `${a.path}\n${a.sha256}\n${a.size}`;
    if (key === previewKey) return;
    previewKey = key;
    const kind = artifactKind(a.path);
    const title = h(
      'div',
      { class: 'mt-toolbar rp-preview-title' },
      h('b', null, a.path),
      h('span', { class: 'mt-muted' }, formatBytes(a.size)),
      h('span', { class: 'mt-spacer' }),
      h('button', { class: 'mt-icon', title: 'Close the preview', onclick: () => selectArtifact(a.path) }, '×'),
    );
    const show = (...body: (Node | string | null)[]) => {
      if (previewKey === key) render(artPreview, title, h('div', { class: 'rp-preview-body', 'data-kind': kind }, body));
    };
    show(message('Loading the preview…', 'loading'));
    const read = (offset: number, maxBytes: number) => rpc('artifacts/read', { runId: run!.runId, path: a.path, offset, maxBytes });
    const noPreview = (why: string) => h('div', { class: 'mt-muted rp-no-preview' }, `${formatBytes(a.size)} (${a.size.toLocaleString()} bytes) — ${why}`);
    const cutNote = (c: { size: number; data: string }, what: string) =>
      h('div', { class: 'mt-muted rp-preview-cut' }, `Showing ${what} of ${formatBytes(c.size)}.`);
    try {
      if (kind === 'image') {
        if (a.size > IMAGE_MAX_BYTES) return show(noPreview('too large to preview.'));
        const c = await read(0, Math.min(IMAGE_MAX_BYTES, Math.max(1, a.size)));
        if (c.truncated) return show(noPreview('too large to preview.'));
        return show(h('img', { class: 'rp-preview-img', src: imageDataUrl(a.path, c), alt: a.path }));
      }
      const c = await read(0, PREVIEW_BYTES);
      if (c.encoding === 'base64') return show(noPreview('binary, no preview.'));
      if (!c.data.length) return show(h('div', { class: 'mt-muted' }, 'Empty.'));
      if (kind === 'csv') {
        const { rows, more } = parseCsv(c.data, { delimiter: /\.tsv$/i.test(a.path) ? '\t' : ',', maxRows: CSV_PREVIEW_ROWS, truncated: c.truncated });
        const [head, ...body] = rows;
        const width = Math.max(0, ...rows.map((r) => r.length));
        const pad = (r: string[]) => Array.from({ length: width }, (_, i) => r[i] ?? '');
        return show(
          h('div', { class: 'mt-muted rp-preview-cut' }, `${body.length.toLocaleString()} rows${more ? ' (the first ones)' : ''}, ${width} columns.`),
          h(
            'div',
            { class: 'rp-csv-wrap' },
            h(
              'table',
              { class: 'rp-table rp-csv' },
              head ? h('thead', null, h('tr', null, pad(head).map((x) => h('th', null, x)))) : null,
              h('tbody', null, body.map((r) => h('tr', null, pad(r).map((x) => h('td', null, x))))),
            ),
          ),
        );
      }
      if (kind === 'json' && !c.truncated) {
        const pretty = prettyJson(c.data);
        if (pretty !== null) return show(h('pre', { class: 'rp-preview-text rp-preview-json' }, pretty));
      }
      return show(c.truncated ? cutNote(c, `the first ${formatBytes(PREVIEW_BYTES)}`) : null, h('pre', { class: 'rp-preview-text' }, c.data));
    } catch (e) {
      show(isNotFound(e) ? noPreview('its file is missing.') : h('div', { class: 'mt-error-box' }, `Could not read the artifact: ${errorText(e)}`));
      if (previewKey === key) previewKey = ''; // try again next time
    }
  }

  function filesTable(title: string, files: RunFile[]): HTMLElement {
    return h(
      'section',
      { class: 'rp-section' },
      h('h2', null, `${title} (${files.length})`),
      files.length
        ? h(
            'table',
            { class: 'rp-table rp-files' },
            h('thead', null, h('tr', null, h('th', null, 'Path'), h('th', { class: 'rp-num' }, 'Size'), h('th', null, 'sha256'), h('th', null, ''))),
            h(
              'tbody',
              null,
              files.map((f) =>
                h(
                  'tr',
                  { 'data-path': f.path },
                  h('td', null, h('code', null, f.path)),
                  h('td', { class: 'rp-num' }, formatBytes(f.size)),
                  h('td', null, h('code', { class: 'mt-muted', title: f.sha256 }, f.sha256.slice(0, 12))),
                  h('td', null, h('button', { class: 'mt-secondary', title: 'Runs downstream of this file', onclick: () => openLineage({ filePath: f.path }) }, 'Lineage')),
                ),
              ),
            ),
          )
        : h('div', { class: 'mt-muted' }, 'None recorded.'),
    );
  }

  function drawFiles(): void {
    const { inputs, outputs } = splitFiles(run!.files ?? []);
    render(
      panes.get('files')!,
      h('div', { class: 'rp-pad' }, h('button', { class: 'mt-secondary', onclick: () => openLineage({ runId: run!.runId }) }, 'Show the lineage graph')),
      filesTable('Inputs (files read)', inputs),
      filesTable('Outputs (files written)', outputs),
    );
  }

  // ---- compare menu --------------------------------------------------------------------------------------------
  async function compareMenu(anchor: HTMLElement): Promise<void> {
    if (!run) return;
    document.querySelector('.rp-compare-menu')?.remove();
    let others: RunRow[] = [];
    try {
      others = (await rpc('runs/list', { experimentIds: [run.experimentId], maxResults: 21 })).runs.filter((x) => x.runId !== run!.runId).slice(0, 20);
    } catch (e) {
      alert(`Could not list runs: ${errorText(e)}`);
      return;
    }
    const rect = anchor.getBoundingClientRect();
    const menu = h(
      'div',
      { class: 'mt-menu rp-compare-menu', role: 'menu', style: { top: `${rect.bottom + 2}px`, left: `${Math.max(0, rect.right - 260)}px` } },
      others.length
        ? [
            h('div', { class: 'mt-muted rp-menu-title' }, `Compare with a run of ${run.experimentName}:`),
            others.map((o) =>
              h(
                'div',
                { class: 'mt-menu-item', role: 'menuitem', 'data-run-id': o.runId, onclick: () => (menu.remove(), openCompare([run!.runId, o.runId])) },
                h('span', { class: 'mt-swatch', style: { background: runColor(o.runId) } }),
                o.name ?? shortId(o.runId),
                h('span', { class: 'mt-muted' }, ` ${shortId(o.runId)} · ${formatTime(o.startTime)}`),
              ),
            ),
          ]
        : h('div', { class: 'mt-menu-item mt-muted' }, 'No other run in this experiment.'),
    );
    document.body.appendChild(menu);
    const close = (e: Event) => {
      if (!menu.contains(e.target as Node) || (e as KeyboardEvent).key === 'Escape') {
        menu.remove();
        document.removeEventListener('mousedown', close, true);
        document.removeEventListener('keydown', close, true);
      }
    };
    setTimeout(() => {
      document.addEventListener('mousedown', close, true);
      document.addEventListener('keydown', close, true);
    });
  }

  // ---- live updates --------------------------------------------------------------------------------------------
  onNotification('runs/changed', (p) => {
    if (p.runId !== runId) return;
    if (p.kind === 'deleted') {
      deleted = true;
      drawBanner();
      drawHeader();
    }
    if (p.kind === 'restored') deleted = false;
    reload(); // runs/get again: status, latest values, new metric keys, tags
  });
  onNotification('log/append', (p) => {
    if (p.runId !== runId && !(runId.length < 32 && p.runId.startsWith(runId))) return;
    const lines = liveLines(p.lines);
    if (!lines.length) return;
    log.append(p.stream, lines);
    onLogLines();
  });
  onReconnect(() => void load());
  // Notifications missed while hidden or disconnected: re-read when the panel is shown again.
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && reload());
  setInterval(() => {
    if (run && run.status === 'RUNNING' && durationEl) durationEl.textContent = formatDuration(runDuration(run, Date.now()));
  }, 1000);

  drawTabs();
  showTab(st.tab);
  void load();
}
