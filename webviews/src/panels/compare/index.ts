// Compare view for 2+ runs: overview and params side by side with the differences marked, final/best metrics with
// the winner per row, the metric charts overlaid (the shared chart grid), and the code of the runs (commits, dirty
// state, the code.diff artifacts; the unified diff between the baseline's commit and each run's, and the uncommitted
// changes, from runs/codeDiff; in VS Code also the diff editor).
import './compare.css';
import type { CodeDiffResult, RunDetail } from '../../../../extension/src/protocol';
import { ErrorCode } from '../../../../extension/src/protocol';
import { inVsCode, onNotification, onReconnect, postCommand, rpc, RpcError } from '../../transport';
import { loadState, saveState } from '../../state';
import { runColors } from '../../colors';
import { openChart, openRun } from '../../nav';
import { debounce, errorText, formatDuration, formatTime, formatValue, h, message, render, shortId, statusBadge } from '../../dom';
import { mountChartGrid } from '../charts/grid';
import { codeRelation, compareMetrics, diffParams, diffStats, parseUnifiedDiff, sameParamValue, type DiffFile, type GitSide } from './diff';

interface CompareState {
  onlyDiff: boolean;
  /** Full id of the run the others are compared with. */
  baseline?: string;
  showSystem: boolean;
}

const DIFF_ARTIFACT = 'code.diff';
/** Files of a diff shown open at first; beyond this many (or very long ones) they start collapsed. */
const OPEN_FILES = 8;
const OPEN_FILE_LINES = 400;

function isNotFound(e: unknown): boolean {
  return e instanceof RpcError && (e.code === ErrorCode.ResourceDoesNotExist || (e.data as any)?.errorCode === 'RESOURCE_DOES_NOT_EXIST');
}

export function mount(root: HTMLElement, args: any): void {
  const requested: string[] = Array.isArray(args?.runIds) ? args.runIds.filter((x: unknown) => typeof x === 'string' && x) : [];
  const state: CompareState = { onlyDiff: false, showSystem: false, ...(loadState<CompareState>() ?? {}) };
  const save = () => saveState(state);

  root.classList.add('cmp-root');
  const header = h('div', { class: 'mt-toolbar cmp-toolbar' });
  const banner = h('div', { class: 'cmp-banners' });
  const body = h('div', { class: 'cmp-body' });
  const chartsEl = h('div', { class: 'cmp-charts' });
  render(root, header, banner, body);

  let runs: RunDetail[] = [];
  const missing = new Set<string>();
  const deleted = new Set<string>();
  let grid: ReturnType<typeof mountChartGrid> | null = null;
  let chartKeys: string[] = [];
  /** runs/codeDiff answers per "runA|runB" (kept across redraws; dropped on Reload). */
  const codeDiffs = new Map<string, Promise<CodeDiffResult>>();
  /** Diff files the user opened or closed, by "<pair>|<part>|<path>" → open. */
  const fileOpen = new Map<string, boolean>();

  if (requested.length < 2) {
    render(body, message('Compare needs two or more runs: select them in the Runs table and choose Compare.', 'info'));
    return;
  }

  async function load(): Promise<void> {
    if (!runs.length) render(body, message(`Loading ${requested.length} runs…`, 'loading'));
    missing.clear();
    const results = await Promise.all(
      requested.map((runId) =>
        rpc('runs/get', { runId }).then(
          (r) => r,
          (e) => {
            if (isNotFound(e)) missing.add(runId);
            else throw e;
            return null;
          },
        ),
      ),
    ).catch((e) => {
      render(body, message(`Could not load the runs: ${errorText(e)}`, 'error'));
      return null;
    });
    if (!results) return;
    runs = results.filter((r): r is RunDetail => r !== null);
    deleted.clear();
    for (const r of runs) if (r.lifecycleStage === 'deleted') deleted.add(r.runId);
    draw();
  }

  const reload = debounce(() => void load(), 300);

  function ordered(): RunDetail[] {
    const b = runs.findIndex((r) => r.runId === state.baseline);
    if (b <= 0) return runs;
    return [runs[b]!, ...runs.slice(0, b), ...runs.slice(b + 1)];
  }

  function draw(): void {
    const list = ordered();
    const colors = runColors(list.map((r) => r.runId));
    drawBanners();
    drawToolbar(list);
    if (list.length < 2) {
      render(body, message('Fewer than two of the chosen runs exist; nothing to compare.', 'error'));
      return;
    }
    const head = () =>
      h(
        'tr',
        null,
        h('th', { class: 'cmp-key' }, ''),
        list.map((r, i) =>
          h(
            'th',
            { class: 'cmp-run', 'data-run-id': r.runId },
            h('span', { class: 'mt-swatch', style: { background: colors.get(r.runId)! } }),
            h('a', { href: '#', title: `Open run ${r.runId}`, onclick: (e: Event) => (e.preventDefault(), openRun(r.runId)) }, r.name ?? shortId(r.runId)),
            ' ',
            h('span', { class: 'mt-muted' }, shortId(r.runId)),
            i === 0
              ? h('span', { class: 'cmp-baseline', title: 'The other runs are compared with this one' }, 'baseline')
              : h(
                  'button',
                  {
                    class: 'mt-icon cmp-set-baseline',
                    title: 'Compare the other runs with this one',
                    onclick: () => {
                      state.baseline = r.runId;
                      save();
                      draw();
                    },
                  },
                  'set baseline',
                ),
            deleted.has(r.runId) ? h('span', { class: 'cmp-deleted-tag' }, 'deleted') : null,
          ),
        ),
      );

    // --- overview rows
    const overview: [string, (r: RunDetail) => string | Node][] = [
      ['Status', (r) => statusBadge(r.status)],
      ['Experiment', (r) => r.experimentName],
      ['Started', (r) => formatTime(r.startTime)],
      ['Duration', (r) => formatDuration(r.durationMs)],
      ['User', (r) => r.user ?? ''],
      ['Host', (r) => r.host ?? ''],
      ['Source file', (r) => r.sourceFile ?? ''],
      ['Command', (r) => r.command ?? ''],
    ];
    const textOf = (v: string | Node) => (typeof v === 'string' ? v : (v.textContent ?? ''));
    const overviewRows = overview.flatMap(([label, get]) => {
      const vals = list.map(get);
      if (vals.every((v) => textOf(v) === '')) return []; // nothing recorded for any run
      const base = textOf(vals[0]!);
      const differs = vals.some((v) => textOf(v) !== base);
      return h(
        'tr',
        { class: differs && label !== 'Started' && label !== 'Duration' ? 'cmp-differs' : '' },
        h('th', { class: 'cmp-key' }, label),
        vals.map((v) => h('td', null, v)),
      );
    });

    // --- params
    const prows = diffParams(list.map((r) => r.params ?? {}), { differencesFirst: false });
    const ndiff = prows.filter((r) => r.differs).length;
    const shownParams = state.onlyDiff ? prows.filter((r) => r.differs) : prows;
    const paramRows = shownParams.map((row) =>
      h(
        'tr',
        { class: row.differs ? 'cmp-param cmp-differs' : 'cmp-param', 'data-key': row.key },
        h('th', { class: 'cmp-key' }, row.key),
        row.values.map((v, i) =>
          h(
            'td',
            { class: row.changed[i] ? 'cmp-changed' : '', title: row.changed[i] ? `differs from the baseline (${row.values[0] ?? 'not set'})` : null },
            v === null ? h('span', { class: 'mt-muted' }, '—') : h('code', null, v),
          ),
        ),
      ),
    );

    // --- metrics
    const mrows = compareMetrics(list.map((r) => r.metrics ?? []), { includeSystem: state.showSystem });
    const metricRows = mrows.map((row) =>
      h(
        'tr',
        { class: 'cmp-metric', 'data-key': row.key },
        h(
          'th',
          { class: 'cmp-key' },
          h('a', { href: '#', title: 'Open the chart', onclick: (e: Event) => (e.preventDefault(), openChart(list.map((r) => r.runId), row.key)) }, row.key),
          ' ',
          h('span', { class: 'mt-muted cmp-dir', title: row.lowerIsBetter ? 'lower is better' : 'higher is better' }, row.lowerIsBetter ? '↓' : '↑'),
        ),
        row.cells.map((c, i) => {
          if (!c) return h('td', null, h('span', { class: 'mt-muted' }, '—'));
          const latestWin = row.latestWinners.includes(i);
          const bestWin = row.bestWinners.includes(i);
          return h(
            'td',
            { class: latestWin ? 'cmp-winner' : '' },
            h('span', { class: latestWin ? 'cmp-final cmp-win' : 'cmp-final', title: `final value at step ${c.latestStep}` }, formatValue(c.latest), latestWin ? h('span', { class: 'cmp-trophy', 'aria-label': 'best final value' }, ' ★') : null),
            h(
              'span',
              { class: bestWin ? 'cmp-best cmp-win' : 'cmp-best', title: row.lowerIsBetter ? 'minimum over the run' : 'maximum over the run' },
              `best ${formatValue(c.best)}`,
              bestWin ? h('span', { class: 'cmp-trophy', 'aria-label': 'best value' }, ' ★') : null,
            ),
          );
        }),
      ),
    );

    const nextKeys = [...new Set(list.flatMap((r) => (r.metrics ?? []).map((m) => m.key)))].filter((k) => !k.startsWith('system/')).sort();

    render(
      body,
      section('Overview', null, h('table', { class: 'cmp-table cmp-overview' }, h('thead', null, head()), h('tbody', null, overviewRows))),
      section(
        'Params',
        h('span', { class: 'mt-muted cmp-count' }, prows.length ? `${ndiff} of ${prows.length} differ` : 'none logged'),
        prows.length
          ? h('table', { class: 'cmp-table cmp-params' }, h('thead', null, head()), h('tbody', null, paramRows.length ? paramRows : h('tr', null, h('td', { colspan: list.length + 1, class: 'mt-muted' }, 'No differences.'))))
          : null,
      ),
      section(
        'Metrics',
        h('span', { class: 'mt-muted cmp-count' }, mrows.length ? '★ marks the best final value and the best value over the run (↓ lower is better, ↑ higher is better)' : 'none logged'),
        mrows.length ? h('table', { class: 'cmp-table cmp-metrics' }, h('thead', null, head()), h('tbody', null, metricRows)) : null,
      ),
      section('Charts', null, nextKeys.length ? chartsEl : h('div', { class: 'mt-muted' }, 'No metrics to chart.')),
      section('Code', null, codeSection(list, colors)),
    );

    // The chart grid is mounted once and kept across redraws (it keeps its zoom and live-appends by itself).
    const ids = list.map((r) => r.runId);
    if (nextKeys.length) {
      try {
        if (!grid) grid = mountChartGrid(chartsEl, { runIds: ids, keys: nextKeys, scope: 'compare-charts' });
        else {
          grid.setRuns(ids);
          if (nextKeys.join('\n') !== chartKeys.join('\n')) grid.setKeys(nextKeys);
        }
      } catch (e) {
        render(chartsEl, message(`Charts unavailable: ${errorText(e)}`, 'error'));
      }
    }
    chartKeys = nextKeys;
  }

  function section(title: string, extra: Node | null, ...content: (Node | null)[]): HTMLElement {
    return h('section', { class: 'cmp-section', 'data-section': title.toLowerCase() }, h('h2', null, title, extra ? ' ' : null, extra), ...content);
  }

  function codeSection(list: RunDetail[], colors: Map<string, string>): HTMLElement {
    const gitOf = (r: RunDetail): GitSide => ({
      commit: r.git?.commit ?? null,
      branch: r.git?.branch ?? null,
      dirty: r.git?.dirty ?? null,
      hasDiffArtifact: (r.artifacts ?? []).some((a) => a.path === DIFF_ARTIFACT),
    });
    const base = list[0]!;
    const rows: [string, (r: RunDetail) => string | Node][] = [
      ['Commit', (r) => (r.git?.commit ? h('code', { title: r.git.commit }, r.git.commit.slice(0, 12)) : h('span', { class: 'mt-muted' }, 'not a git repository'))],
      ['Branch', (r) => r.git?.branch ?? ''],
      ['Remote', (r) => r.git?.remote ?? ''],
      ['Uncommitted changes', (r) => (r.git?.dirty === true ? 'yes' : r.git?.dirty === false ? 'no' : '')],
      [
        DIFF_ARTIFACT,
        (r) => {
          const a = (r.artifacts ?? []).find((x) => x.path === DIFF_ARTIFACT);
          return a ? `${a.size.toLocaleString()} bytes` : h('span', { class: 'mt-muted' }, 'none');
        },
      ],
    ];
    const table = h(
      'table',
      { class: 'cmp-table cmp-code' },
      h('thead', null, h('tr', null, h('th', { class: 'cmp-key' }, ''), list.map((r) => h('th', null, h('span', { class: 'mt-swatch', style: { background: colors.get(r.runId)! } }), r.name ?? shortId(r.runId))))),
      h(
        'tbody',
        null,
        rows.map(([label, get]) => {
          const vals = list.map(get);
          const t = (v: string | Node) => (typeof v === 'string' ? v : (v.textContent ?? ''));
          const differs = vals.some((v) => !sameParamValue(t(v), t(vals[0]!)));
          return h('tr', { class: differs ? 'cmp-differs' : '' }, h('th', { class: 'cmp-key' }, label), vals.map((v) => h('td', null, v)));
        }),
      ),
    );
    const notes = list.slice(1).map((r) => {
      const rel = codeRelation(gitOf(base), gitOf(r));
      const who = `${base.name ?? shortId(base.runId)} → ${r.name ?? shortId(r.runId)}`;
      const text =
        rel === 'no-git'
          ? 'at least one run was not in a git repository: no commit to compare.'
          : rel === 'same'
            ? 'same commit, no uncommitted changes: the code is identical.'
            : rel === 'same-commit-dirty'
              ? 'same commit; the difference is in the uncommitted changes (code.diff).'
              : 'different commits' + (gitOf(base).dirty || gitOf(r).dirty ? ', plus uncommitted changes.' : '.');
      const btn =
        inVsCode() && rel !== 'same'
          ? h(
              'button',
              {
                class: 'mt-secondary cmp-open-diff',
                title: "Open the code difference in VS Code's diff editor",
                onclick: () => postCommand('mltrack.openDiff', [base.runId, r.runId]),
              },
              'Open diff',
            )
          : null;
      return h('li', null, h('b', null, who), ': ', text, ' ', btn);
    });
    return h(
      'div',
      null,
      table,
      h('ul', { class: 'cmp-code-notes' }, notes),
      list.slice(1).map((r) => codeDiffBlock(base, r, colors)),
    );
  }

  /** The baseline → run block: the unified diff between their commits, then each one's uncommitted changes. */
  function codeDiffBlock(base: RunDetail, r: RunDetail, colors: Map<string, string>): HTMLElement {
    const pair = `${base.runId}|${r.runId}`;
    const el = h('div', { class: 'cmp-codediff', 'data-run-a': base.runId, 'data-run-b': r.runId });
    const label = (x: RunDetail) => h('span', null, h('span', { class: 'mt-swatch', style: { background: colors.get(x.runId)! } }), x.name ?? shortId(x.runId));
    const title = h('h3', { class: 'cmp-codediff-title' }, label(base), ' → ', label(r));
    render(el, title, message('Loading the code difference…', 'loading'));
    let pending = codeDiffs.get(pair);
    if (!pending) {
      pending = rpc('runs/codeDiff', { runA: base.runId, runB: r.runId });
      codeDiffs.set(pair, pending);
      pending.catch(() => codeDiffs.delete(pair)); // retried on the next draw
    }
    pending.then(
      (d) => {
        const commit = (c: string | null) => (c ? h('code', { title: c }, c.slice(0, 12)) : h('span', { class: 'mt-muted' }, 'none'));
        const parts: Node[] = [
          h('div', { class: 'cmp-codediff-commits mt-muted' }, 'Commits: ', commit(d.commitA), ' → ', commit(d.commitB)),
        ];
        if (d.diff === null) parts.push(h('div', { class: 'mt-message cmp-code-reason' }, d.reason ?? 'The commit diff could not be computed.'));
        else if (d.diff === '')
          parts.push(h('div', { class: 'mt-muted cmp-code-same' }, d.commitA && d.commitA === d.commitB ? 'Same commit: no committed changes between them.' : 'No committed changes between them.'));
        else parts.push(diffView(parseUnifiedDiff(d.diff), `${pair}|commits`, 'Committed changes'));
        for (const [who, text, side] of [
          [base, d.uncommittedA, 'a'],
          [r, d.uncommittedB, 'b'],
        ] as const) {
          if (text === null) continue;
          parts.push(diffView(parseUnifiedDiff(text), `${pair}|uncommitted-${side}`, `Uncommitted changes in ${who.name ?? shortId(who.runId)} (code.diff)`, text));
        }
        if (d.uncommittedA === null && d.uncommittedB === null && d.diff !== null)
          parts.push(h('div', { class: 'mt-muted cmp-code-clean' }, 'Neither run had uncommitted changes.'));
        if (d.truncated) parts.push(h('div', { class: 'mt-message cmp-code-truncated' }, 'The diff is long and was cut; open the runs in VS Code or use git for the rest.'));
        render(el, title, parts);
      },
      (e) => render(el, title, message(`Could not compute the code difference: ${errorText(e)}`, 'error')),
    );
    return el;
  }

  /** Files of a diff, each collapsible (contents drawn when first opened), with +/- counts. */
  function diffView(files: DiffFile[], scope: string, heading: string, raw?: string): HTMLElement {
    const stats = diffStats(files);
    const wrap = h(
      'div',
      { class: 'cmp-diff', 'data-scope': scope.split('|').pop()! },
      h(
        'div',
        { class: 'cmp-diff-heading' },
        h('b', null, heading),
        ' ',
        h('span', { class: 'mt-muted' }, `${stats.files} file${stats.files === 1 ? '' : 's'}`, ' '),
        h('span', { class: 'cmp-diff-stat-add' }, `+${stats.added}`),
        ' ',
        h('span', { class: 'cmp-diff-stat-del' }, `−${stats.removed}`),
      ),
    );
    if (!files.length) {
      // not a unified diff: show the text as it is
      if (raw) wrap.append(h('pre', { class: 'cmp-diff-raw' }, raw));
      return wrap;
    }
    files.forEach((f, idx) => {
      const key = `${scope}|${f.path}`;
      const lines = f.hunks.reduce((n, hk) => n + hk.lines.length, 0);
      const open = fileOpen.get(key) ?? (idx < OPEN_FILES && lines <= OPEN_FILE_LINES);
      const body = h('div', { class: 'cmp-diff-body' });
      let drawn = false;
      const draw = () => {
        if (drawn) return;
        drawn = true;
        if (f.status === 'binary' || !f.hunks.length) {
          render(body, h('div', { class: 'mt-muted cmp-diff-empty' }, f.status === 'binary' ? 'Binary file.' : f.meta.filter((m) => !m.startsWith('diff ') && !m.startsWith('index ')).join('\n') || 'No content changes.'));
          return;
        }
        render(
          body,
          f.hunks.map((hk) =>
            h(
              'div',
              { class: 'cmp-hunk' },
              h('div', { class: 'cmp-hunk-header' }, hk.header),
              hk.lines.map((l) =>
                h('div', { class: `cmp-dl cmp-dl-${l.kind}` }, l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : l.kind === 'ctx' ? ' ' : '', l.text),
              ),
            ),
          ),
        );
      };
      const det = h(
        'details',
        { class: `cmp-diff-file cmp-file-${f.status}`, 'data-path': f.path },
        h(
          'summary',
          { class: 'cmp-diff-file-header' },
          h('code', null, f.status === 'renamed' && f.oldPath && f.oldPath !== f.path ? `${f.oldPath} → ${f.path}` : f.path),
          f.status !== 'modified' ? h('span', { class: 'cmp-file-status' }, f.status) : null,
          h('span', { class: 'cmp-diff-stat-add' }, `+${f.added}`),
          h('span', { class: 'cmp-diff-stat-del' }, `−${f.removed}`),
        ),
        body,
      );
      det.open = open;
      if (open) draw();
      det.addEventListener('toggle', () => {
        fileOpen.set(key, det.open);
        if (det.open) draw();
      });
      wrap.append(det);
    });
    return wrap;
  }

  function drawBanners(): void {
    const items: Node[] = [];
    for (const id of missing) items.push(h('div', { class: 'mt-message mt-error cmp-banner', role: 'alert' }, `Run ${shortId(id)} does not exist (deleted permanently?); it is left out.`));
    for (const id of deleted) {
      const r = runs.find((x) => x.runId === id);
      items.push(h('div', { class: 'mt-message mt-error cmp-banner', role: 'alert' }, `Run ${r?.name ?? shortId(id)} was deleted.`));
    }
    render(banner, items);
  }

  function drawToolbar(list: RunDetail[]): void {
    render(
      header,
      h('b', null, `Compare ${list.length} runs`),
      h('span', { class: 'mt-spacer' }),
      h(
        'label',
        null,
        h('input', {
          type: 'checkbox',
          class: 'cmp-only-diff',
          checked: state.onlyDiff,
          onchange: (e: Event) => {
            state.onlyDiff = (e.target as HTMLInputElement).checked;
            save();
            draw();
          },
        }),
        'Only differing params',
      ),
      h(
        'label',
        null,
        h('input', {
          type: 'checkbox',
          checked: state.showSystem,
          onchange: (e: Event) => {
            state.showSystem = (e.target as HTMLInputElement).checked;
            save();
            draw();
          },
        }),
        'System metrics',
      ),
      h('button', { class: 'mt-secondary', onclick: () => openChart(list.map((r) => r.runId)) }, 'Open charts'),
      h('button', { class: 'mt-secondary', title: 'Reload', onclick: () => (codeDiffs.clear(), void load()) }, 'Reload'),
    );
  }

  const isOurs = (id: string) => runs.some((r) => r.runId === id) || requested.includes(id);
  onNotification('runs/changed', (p) => {
    if (!isOurs(p.runId)) return;
    if (p.kind === 'deleted') deleted.add(p.runId);
    if (p.kind === 'restored') deleted.delete(p.runId);
    reload();
  });
  onReconnect(() => void load());
  // Notifications missed while hidden or disconnected: re-read when the panel is shown again.
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && reload());
  void load();
}
