// The Reports panel: report cards (reports/list, newest first) filtered by date range and type; a Generate form
// (type, range preset or custom dates, optional experiment → reports/generate); the selected report's preview
// (reports/content html, sanitised into `.mt-report`, see preview.ts); export (VS Code: the extension's save dialog
// through 'mltrack.exportReport'; browser: a download) and delete. Args: {reportId?} selects and previews it.
import './reports.css';
import type { ExperimentInfo, RangePreset, ReportFormat, ReportInfo, ReportType } from '../../../../extension/src/protocol';
import { download, errorText, h, message, render } from '../../dom';
import { currentPreferences, onPreferences } from '../../preferences';
import { localTimeZone } from '../../range';
import { debouncedSaver, loadState } from '../../state';
import { onReconnect, postCommand, rpc } from '../../transport';
import {
  cardText, exportFileName, GENERATE_PRESETS, generateParams, isReportType, listParams, MIME, REPORT_TYPES, sortReports, TYPE_LABELS,
  type ListFilter,
} from './logic';
import { reportContent } from './preview';


/** The command the extension handles with a save dialog and reports/export (args: [reportId, format]). */
export const EXPORT_COMMAND = 'mltrack.exportReport';

interface PanelState {
  filter: ListFilter;
  selected: string | null;
  /** The Generate form; `type` only once the user chose one (until then it follows the preference). */
  form: { type: ReportType | null; preset: RangePreset; fromDate: string; toDate: string; experimentId: string };
}

export function mount(root: HTMLElement, args: { reportId?: string }): void {
  root.classList.add('rep-root');
  const saved = loadState<Partial<PanelState>>() ?? {};
  const st: PanelState = {
    filter: { fromDate: '', toDate: '', type: '', ...saved.filter },
    selected: typeof args?.reportId === 'string' && args.reportId ? args.reportId : saved.selected ?? null,
    form: { type: null, preset: '30d', fromDate: '', toDate: '', experimentId: '', ...saved.form },
  };
  const saver = debouncedSaver<PanelState>('panel', 150);
  const save = () => saver(st);

  // ---- toolbar: list filters ----
  const typeFilter = h('select', { class: 'rep-filter-type', 'aria-label': 'report type filter' },
    h('option', { value: '' }, 'All types'), REPORT_TYPES.map((t) => h('option', { value: t }, TYPE_LABELS[t])));
  typeFilter.value = st.filter.type;
  const fromFilter = h('input', { type: 'date', class: 'rep-filter-from', 'aria-label': 'reports from date', value: st.filter.fromDate });
  const toFilter = h('input', { type: 'date', class: 'rep-filter-to', 'aria-label': 'reports to date', value: st.filter.toDate });
  const onFilter = () => {
    pinned = null;
    st.filter = { type: isReportType(typeFilter.value) ? typeFilter.value : '', fromDate: fromFilter.value, toDate: toFilter.value };
    save();
    void loadList();
  };
  for (const el of [typeFilter, fromFilter, toFilter]) el.addEventListener('change', onFilter);
  const clearFilter = h('button', { class: 'mt-secondary rep-filter-clear', onclick: () => {
    typeFilter.value = '';
    fromFilter.value = '';
    toFilter.value = '';
    onFilter();
  } }, 'Clear');

  // ---- generate form ----
  const genType = h('select', { id: 'rep-gen-type', class: 'rep-gen-type' }, REPORT_TYPES.map((t) => h('option', { value: t }, TYPE_LABELS[t])));
  genType.value = st.form.type ?? currentPreferences().reportType;
  genType.addEventListener('change', () => {
    st.form.type = genType.value as ReportType;
    save();
  });
  // Until the user picks a type here, the form follows the default report type preference (also when it changes).
  onPreferences((p, c) => {
    if (c.changed.includes('reportType') && st.form.type === null) genType.value = p.reportType;
  });
  const genPreset = h('select', { id: 'rep-gen-preset', class: 'rep-gen-preset' }, GENERATE_PRESETS.map((p) => h('option', { value: p.value }, p.label)));
  genPreset.value = st.form.preset;
  const genFrom = h('input', { type: 'date', class: 'rep-gen-from', 'aria-label': 'report from date', value: st.form.fromDate });
  const genTo = h('input', { type: 'date', class: 'rep-gen-to', 'aria-label': 'report to date', value: st.form.toDate });
  genFrom.id = 'rep-gen-from';
  genTo.id = 'rep-gen-to';
  const customRow = h('div', { class: 'rep-gen-custom' },
    h('div', { class: 'rep-gen-row' }, h('label', { for: 'rep-gen-from' }, 'From'), genFrom),
    h('div', { class: 'rep-gen-row' }, h('label', { for: 'rep-gen-to' }, 'To'), genTo));
  const genExperiment = h('select', { id: 'rep-gen-experiment', class: 'rep-gen-experiment' }, h('option', { value: '' }, 'All experiments'));
  const syncForm = () => {
    st.form.preset = genPreset.value as RangePreset;
    st.form.fromDate = genFrom.value;
    st.form.toDate = genTo.value;
    st.form.experimentId = genExperiment.value;
    customRow.hidden = st.form.preset !== 'custom';
    save();
  };
  for (const el of [genPreset, genFrom, genTo, genExperiment]) el.addEventListener('change', syncForm);
  customRow.hidden = st.form.preset !== 'custom';
  const genButton = h('button', { type: 'submit', class: 'rep-generate' }, 'Generate');
  const genStatus = h('span', { class: 'rep-gen-status', 'aria-live': 'polite' });
  const genError = h('div', { class: 'rep-gen-error' });
  const form = h(
    'form',
    { class: 'rep-gen-form', onsubmit: (e: Event) => (e.preventDefault(), void generate()) },
    h('h2', null, 'Generate a report'),
    h('div', { class: 'rep-gen-row' }, h('label', { for: 'rep-gen-type' }, 'Type'), genType),
    h('div', { class: 'rep-gen-row' }, h('label', { for: 'rep-gen-preset' }, 'Range'), genPreset),
    customRow,
    h('div', { class: 'rep-gen-row' }, h('label', { for: 'rep-gen-experiment' }, 'Experiment'), genExperiment),
    h('div', { class: 'rep-gen-actions' }, genButton, genStatus),
    genError,
  );

  // ---- list and preview ----
  const listStatus = h('div', { class: 'rep-list-status', 'aria-live': 'polite' });
  const listEl = h('div', { class: 'rep-list', role: 'listbox', 'aria-label': 'reports' });
  const previewHead = h('div', { class: 'rep-preview-head' });
  const previewStatus = h('div', { class: 'rep-preview-status' });
  const reportEl = h('article', { class: 'mt-report' });
  const preview = h('section', { class: 'rep-preview' }, previewHead, previewStatus, reportEl);

  render(
    root,
    h('div', { class: 'mt-toolbar rep-toolbar' },
      h('h1', null, 'Reports'),
      h('label', null, 'Type ', typeFilter),
      h('label', null, 'From ', fromFilter),
      h('label', null, 'To ', toFilter),
      clearFilter,
      h('span', { class: 'mt-spacer' }),
      h('button', { class: 'mt-secondary rep-refresh', onclick: () => void loadList() }, 'Refresh')),
    h('div', { class: 'rep-main' }, h('aside', { class: 'rep-side' }, form, listStatus, listEl), preview),
  );

  let list: ReportInfo[] | null = null;
  /** The report generated here last: its card stays listed even when the filter would hide it (until the filter changes). */
  let pinned: ReportInfo | null = null;
  let listSeq = 0;
  let previewSeq = 0;
  let previewed: string | null = null;
  let armedDelete: string | null = null;
  let generating = false;

  async function loadExperiments(): Promise<void> {
    try {
      const exps: ExperimentInfo[] = await rpc('experiments/list', {});
      const keep = st.form.experimentId;
      render(genExperiment, h('option', { value: '' }, 'All experiments'),
        [...exps].sort((a, b) => a.name.localeCompare(b.name)).map((e) => h('option', { value: e.experimentId }, e.name)));
      genExperiment.value = exps.some((e) => e.experimentId === keep) ? keep : '';
    } catch {
      /* the form still works over every experiment */
    }
  }

  async function loadList(): Promise<void> {
    const seq = ++listSeq;
    if (!list) render(listStatus, message('Loading reports…', 'loading'));
    try {
      const r = await rpc('reports/list', listParams(st.filter));
      if (seq !== listSeq) return;
      list = sortReports(r ?? []);
      if (pinned && !list.some((x) => x.reportId === pinned!.reportId)) list.unshift(pinned);
      render(listStatus);
      drawList();
      if (st.selected && previewed !== st.selected) void loadPreview();
    } catch (e) {
      if (seq !== listSeq) return;
      render(listStatus, message(`Could not load the reports: ${errorText(e)}`, 'error'));
    }
  }

  const selectedInfo = (): ReportInfo | undefined => list?.find((r) => r.reportId === st.selected);

  function select(id: string | null): void {
    if (st.selected === id) return;
    st.selected = id;
    armedDelete = null;
    save();
    drawList();
    void loadPreview();
  }

  function drawList(): void {
    if (!list) return;
    if (list.length === 0) {
      const filtered = !!(st.filter.fromDate || st.filter.toDate || st.filter.type);
      render(listEl, h('div', { class: 'mt-message rep-empty' }, filtered ? 'No report matches the filter.' : 'No reports yet: generate one above.'));
      return;
    }
    render(listEl, list.map((info) => {
      const t = cardText(info);
      const selected = info.reportId === st.selected;
      return h(
        'div',
        {
          class: `rep-card${selected ? ' rep-selected' : ''}`,
          'data-id': info.reportId,
          'data-type': info.type,
          role: 'option',
          tabindex: 0,
          'aria-selected': selected ? 'true' : 'false',
          onclick: () => select(info.reportId),
          onkeydown: (e: Event) => {
            const k = (e as KeyboardEvent).key;
            if (k === 'Enter' || k === ' ') (e.preventDefault(), select(info.reportId));
          },
        },
        h('div', { class: 'rep-card-head' }, h('span', { class: `rep-type rep-type-${info.type}` }, t.type), h('span', { class: 'rep-card-insights mt-muted' }, t.insights)),
        h('div', { class: 'rep-card-title', title: t.title }, t.title),
        h('div', { class: 'rep-card-range' }, t.range),
        h('div', { class: 'rep-card-meta mt-muted' }, h('span', { class: 'rep-card-created' }, `Created ${t.created}`), ' · ', h('span', { class: 'rep-card-size' }, t.size)),
      );
    }));
  }

  function drawPreviewHead(info: ReportInfo | undefined): void {
    if (!info) {
      render(previewHead);
      return;
    }
    const armed = armedDelete === info.reportId;
    render(
      previewHead,
      h('span', { class: 'rep-preview-title' }, cardText(info).title),
      h('span', { class: 'mt-spacer' }),
      h('button', { class: 'mt-secondary rep-export-html', onclick: () => exportReport(info, 'html') }, 'Export HTML'),
      h('button', { class: 'mt-secondary rep-export-md', onclick: () => exportReport(info, 'md') }, 'Export Markdown'),
      h('button', {
        class: 'mt-secondary rep-delete',
        title: armed ? 'Click again to delete this report' : 'Delete this report',
        onclick: () => {
          if (!armed) {
            armedDelete = info.reportId;
            drawPreviewHead(info);
            setTimeout(() => {
              if (armedDelete !== info.reportId) return;
              armedDelete = null;
              drawPreviewHead(selectedInfo());
            }, 4000);
            return;
          }
          armedDelete = null;
          void remove(info);
        },
      }, armed ? 'Confirm delete' : 'Delete'),
    );
  }

  async function loadPreview(): Promise<void> {
    const seq = ++previewSeq;
    const id = st.selected;
    previewed = id;
    reportEl.removeAttribute('data-report-id');
    reportEl.removeAttribute('data-charts');
    if (!id) {
      render(previewHead);
      render(previewStatus, message('Select a report to preview it.'));
      render(reportEl);
      return;
    }
    drawPreviewHead(selectedInfo());
    render(previewStatus, message('Loading the report…', 'loading'));
    try {
      const c = await rpc('reports/content', { reportId: id, format: 'html' });
      if (seq !== previewSeq) return;
      const { nodes, stats } = reportContent(c.content);
      drawPreviewHead(selectedInfo() ?? c.info);
      render(previewStatus);
      render(reportEl, nodes);
      reportEl.scrollTop = 0;
      preview.scrollTop = 0;
      reportEl.setAttribute('data-report-id', id);
      reportEl.setAttribute('data-charts', String(stats.charts));
    } catch (e) {
      if (seq !== previewSeq) return;
      render(reportEl);
      render(previewStatus, message(`Could not load the report: ${errorText(e)}`, 'error'));
    }
  }

  function exportReport(info: ReportInfo, format: ReportFormat): void {
    if (postCommand(EXPORT_COMMAND, [info.reportId, format])) return;
    rpc('reports/content', { reportId: info.reportId, format }).then(
      (c) => download(exportFileName(info, format), c.content, MIME[format]),
      (e) => render(previewStatus, message(`Could not export the report: ${errorText(e)}`, 'error')),
    );
  }

  async function remove(info: ReportInfo): Promise<void> {
    try {
      await rpc('reports/delete', { reportId: info.reportId });
    } catch (e) {
      render(previewStatus, message(`Could not delete the report: ${errorText(e)}`, 'error'));
      drawPreviewHead(info);
      return;
    }
    if (pinned?.reportId === info.reportId) pinned = null;
    if (list) list = list.filter((r) => r.reportId !== info.reportId);
    if (st.selected === info.reportId) {
      st.selected = null;
      save();
      void loadPreview();
    }
    drawList();
    void loadList();
  }

  async function generate(): Promise<void> {
    if (generating) return;
    syncForm();
    const p = generateParams({ ...st.form, type: genType.value as ReportType, timeZone: localTimeZone() });
    render(genError);
    if ('error' in p) {
      render(genError, h('div', { class: 'mt-error-box', role: 'alert' }, p.error));
      return;
    }
    generating = true;
    genButton.disabled = true;
    genButton.textContent = 'Generating…';
    genButton.classList.add('rep-busy');
    render(genStatus);
    try {
      // Prices from the preferences (VS Code: the mltrack.cost.* settings; browser: the backend's per-user ones).
      const prefs = currentPreferences();
      const info = await rpc('reports/generate', { ...p.params, cpuHourUsd: prefs.cpuHourUsd, gpuHourUsd: prefs.gpuHourUsd });
      // The new card shows selected even when the list's filter would hide it.
      pinned = info;
      list = sortReports([info, ...(list ?? []).filter((r) => r.reportId !== info.reportId)]);
      st.selected = info.reportId;
      armedDelete = null;
      save();
      drawList();
      listEl.querySelector<HTMLElement>('.rep-selected')?.scrollIntoView({ block: 'nearest' });
      void loadPreview();
      void loadList();
    } catch (e) {
      render(genError, h('div', { class: 'mt-error-box', role: 'alert' }, errorText(e)));
    } finally {
      generating = false;
      genButton.disabled = false;
      genButton.textContent = 'Generate';
      genButton.classList.remove('rep-busy');
    }
  }

  onReconnect(() => {
    void loadList();
    void loadExperiments();
  });
  void loadExperiments();
  void loadList();
  if (!st.selected) void loadPreview();
}
