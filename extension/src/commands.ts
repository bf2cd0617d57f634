// The run commands (open, compare, chart, lineage, stop, copy id, re-run, delete, search...): each maps its
// arguments (a run id, a tree node, the tree's selection, or nothing → a pick) onto RPC calls and panels.
import * as path from 'path';
import * as vscode from 'vscode';
import { Backend, errorText, isQuiet } from './backend';
import { formatAge, formatValue, runLabel, shortId, splitCommandLine } from './format';
import { Launcher } from './launch';
import { ChartPanel } from './panels/chartPanel';
import { showComparePanel } from './panels/comparePanel';
import { showLineagePanel } from './panels/lineagePanel';
import { RunPanel } from './panels/runPanel';
import { showSearchResultsPanel } from './panels/searchResultsPanel';
import { Method, type LaunchParams, type SearchHit } from './protocol';
import { RunsTree } from './runsTree';
import { showSearch } from './search';

/** The run id an argument stands for: an id string, a tree node, a run row. */
export function runIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg) return arg;
  if (arg && typeof arg === 'object') {
    const o = arg as { type?: string; row?: { runId?: string }; runId?: unknown };
    if (o.type === 'run' && o.row?.runId) return o.row.runId;
    if (typeof o.runId === 'string') return o.runId;
  }
  return undefined;
}

export function registerCommands(
  context: vscode.ExtensionContext,
  backend: Backend,
  tree: RunsTree,
  launcher: Launcher,
  output: vscode.OutputChannel,
): void {
  const uri = context.extensionUri;

  /** Runs from a context-menu invocation (clicked, selected[]), else the tree selection, else the single argument. */
  const runIdsOf = (arg: unknown, selected: unknown): string[] => {
    const list = Array.isArray(selected) ? selected.map(runIdOf).filter((x): x is string => !!x) : [];
    const one = runIdOf(arg);
    if (one && (list.length === 0 || !list.includes(one))) return [one];
    if (list.length > 0) return list;
    return one ? [one] : [];
  };

  const pickRuns = async (title: string, many: boolean): Promise<string[]> => {
    try {
      const res = await backend.request(Method.runsList, { maxResults: 200 });
      const now = Date.now();
      const items = res.runs.map((r) => ({
        label: runLabel(r),
        description: `${r.status} · ${formatAge(r.startTime, now)} · ${shortId(r.runId)}`,
        detail: r.experimentName,
        runId: r.runId,
      }));
      if (items.length === 0) {
        void vscode.window.showInformationMessage('MLTrack: no runs yet.');
        return [];
      }
      if (many) {
        const picked = await vscode.window.showQuickPick(items, { title, canPickMany: true, matchOnDescription: true, matchOnDetail: true });
        return (picked ?? []).map((p) => p.runId);
      }
      const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true, matchOnDetail: true });
      return picked ? [picked.runId] : [];
    } catch (e) {
      if (!isQuiet(e)) void vscode.window.showErrorMessage(`MLTrack: could not list runs: ${errorText(e)}`);
      return [];
    }
  };

  const oneRun = async (arg: unknown, title: string): Promise<string | undefined> => runIdOf(arg) ?? (await pickRuns(title, false))[0];

  const fail = (what: string) => (e: unknown) => {
    if (!isQuiet(e)) void vscode.window.showErrorMessage(`MLTrack: ${what}: ${errorText(e)}`);
  };

  const openRun = async (arg?: unknown) => {
    const runId = await oneRun(arg, 'Open Run');
    if (runId) RunPanel.show(uri, backend, runId);
  };

  const showChart = async (arg?: unknown, key?: unknown) => {
    const runId = await oneRun(arg, 'Show Chart: pick a run');
    if (!runId) return;
    let metric = typeof key === 'string' ? key : undefined;
    if (!metric) {
      try {
        const keys = await backend.request(Method.metricsKeys, { runId });
        if (keys.length === 0) {
          void vscode.window.showInformationMessage(`MLTrack: run ${shortId(runId)} has no metrics yet.`);
          return;
        }
        const picked = await vscode.window.showQuickPick(
          keys.map((k) => ({ label: k.key, description: `${formatValue(k.latest)} @ step ${k.latestStep} · ${k.count} points` })),
          { title: 'Show Chart: pick a metric' },
        );
        if (!picked) return;
        metric = picked.label;
      } catch (e) {
        fail('could not read the metrics')(e);
        return;
      }
    }
    ChartPanel.show(uri, backend, runId, metric);
  };

  const revealExperiment = async (experimentId?: unknown) => {
    if (typeof experimentId !== 'string') return;
    await vscode.commands.executeCommand('mltrack.runs.focus');
    await tree.revealExperiment(experimentId);
  };

  const openHit = (hit: SearchHit) => {
    if (hit.kind === 'experiment' && hit.experimentId) void revealExperiment(hit.experimentId);
    else if (hit.kind === 'metric' && hit.runId) void showChart(hit.runId, hit.title);
    else if (hit.runId) void openRun(hit.runId);
    else if (hit.experimentId) void revealExperiment(hit.experimentId);
  };

  const showAll = (text: string) => void showSearchResultsPanel(uri, backend, text);

  const rerun = async (arg?: unknown) => {
    const runId = runIdOf(arg);
    if (!runId) return;
    let params = launcher.paramsOf(runId);
    let label = shortId(runId);
    if (!params) {
      try {
        const run = await backend.request(Method.runsGet, { runId });
        label = runLabel(run);
        const argv = run.command ? splitCommandLine(run.command) : [];
        if (argv.length === 0) {
          void vscode.window.showErrorMessage(`MLTrack: run ${label} has no recorded command to re-run.`);
          return;
        }
        params = {
          command: argv,
          cwd: run.cwd ?? (run.sourceFile ? path.dirname(run.sourceFile) : undefined),
          experiment: run.experimentName,
          name: run.name,
          params: run.params,
        } satisfies LaunchParams;
      } catch (e) {
        fail('could not read the run to re-run it')(e);
        return;
      }
    }
    await launcher.launch(params, `re-run of ${label}`);
  };

  const reg = (id: string, fn: (...args: any[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));

  reg('mltrack.search', () => showSearch(backend, openHit, showAll));
  reg('mltrack.showSearchResults', async (text?: unknown) => {
    const q = typeof text === 'string' ? text : await vscode.window.showInputBox({ title: 'MLTrack: search', prompt: 'Search runs, experiments, params, tags, metrics' });
    if (q) showAll(q);
  });
  reg('mltrack.openRun', openRun);
  reg('mltrack.showChart', showChart);
  reg('mltrack.showLineage', async (arg?: unknown) => {
    const runId = await oneRun(arg, 'Show Lineage');
    if (runId) await showLineagePanel(uri, backend, runId);
  });
  reg('mltrack.compareRuns', async (arg?: unknown, selected?: unknown) => {
    let ids = runIdsOf(arg, selected);
    if (ids.length < 2) {
      const sel = tree.selectedRuns().map((r) => r.runId);
      if (sel.length >= 2) ids = sel;
    }
    if (ids.length < 2) ids = [...new Set([...ids, ...(await pickRuns('Compare Runs: pick two or more runs', true))])];
    if (ids.length < 2) {
      if (ids.length === 1) void vscode.window.showInformationMessage('MLTrack: pick at least two runs to compare.');
      return;
    }
    await showComparePanel(uri, backend, ids);
  });
  reg('mltrack.track', (u?: unknown, fn?: unknown) => launcher.track(u instanceof vscode.Uri ? u : undefined, typeof fn === 'string' ? fn : undefined));
  reg('mltrack.stopRun', async (arg?: unknown, selected?: unknown) => {
    for (const runId of runIdsOf(arg, selected)) {
      try {
        const r = await backend.request(Method.runsStop, { runId });
        if (!r.stopped) void vscode.window.showInformationMessage(`MLTrack: run ${shortId(runId)} had already ended (${r.status}).`);
      } catch (e) {
        fail(`could not stop run ${shortId(runId)}`)(e);
      }
    }
  });
  reg('mltrack.copyRunId', async (arg?: unknown, selected?: unknown) => {
    const ids = runIdsOf(arg, selected);
    if (ids.length === 0) return;
    await vscode.env.clipboard.writeText(ids.join('\n'));
    vscode.window.setStatusBarMessage(`MLTrack: copied ${ids.length === 1 ? ids[0] : `${ids.length} run ids`}`, 3000);
  });
  reg('mltrack.rerun', rerun);
  reg('mltrack.deleteRun', async (arg?: unknown, selected?: unknown) => {
    const ids = runIdsOf(arg, selected);
    if (ids.length === 0) return;
    const known = ids.map((id) => tree.knownRun(id));
    const what = ids.length === 1 ? `run “${known[0] ? runLabel(known[0]) : shortId(ids[0])}”` : `${ids.length} runs`;
    const choice = await vscode.window.showWarningMessage(
      `Delete ${what}?`,
      { modal: true, detail: 'Deleted runs are hidden from lists and search; their data stays in the store and can be restored.' },
      'Delete',
    );
    if (choice !== 'Delete') return;
    for (const runId of ids) {
      try {
        await backend.request(Method.runsDelete, { runId });
      } catch (e) {
        fail(`could not delete run ${shortId(runId)}`)(e);
      }
    }
    tree.refresh();
  });
  reg('mltrack.refreshRuns', () => tree.refresh());
  reg('mltrack.showOutput', () => output.show());
  reg('mltrack.restartBackend', () => backend.restart().then(() => tree.refresh(), fail('could not restart the backend')));
  reg('mltrack.revealExperiment', revealExperiment);
}
