// The Runs tree: experiments (most recently active first) with their runs (newest first), live from runs/changed.
import * as vscode from 'vscode';
import { Backend, errorText, isQuiet } from './backend';
import { escapeMarkdown as escape, formatDuration, formatValue, runDescription, runLabel, shortId, statusIcon } from './format';
import { Method, Notification, type ExperimentInfo, type RunChangedParams, type RunRow } from './protocol';

const PAGE_SIZE = 200;
const TERMINAL = new Set(['FINISHED', 'FAILED', 'KILLED', 'CRASHED']);

export interface ExperimentNode {
  type: 'experiment';
  exp: ExperimentInfo;
  /** Start time of its newest run, when known: orders the experiments. */
  activity: number;
}
export interface RunNode {
  type: 'run';
  row: RunRow;
  parent: ExperimentNode;
}
interface MoreNode {
  type: 'more';
  parent: ExperimentNode;
  pageToken: string;
}
interface MessageNode {
  type: 'message';
  text: string;
  command?: vscode.Command;
  icon?: string;
}
export type Node = ExperimentNode | RunNode | MoreNode | MessageNode;

interface RunPage {
  nodes: RunNode[];
  nextPageToken: string | null;
  stale: boolean;
}

/** Metric map of a row as a list, for the pure formatters. */
export function rowMetrics(row: { metrics: Record<string, unknown> }): { key: string; latest: number | string }[] {
  return Object.entries(row.metrics ?? {}).map(([key, v]) => ({ key, latest: v as number | string }));
}

export class RunsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private experiments: ExperimentNode[] | undefined;
  private readonly expById = new Map<string, ExperimentNode>();
  private readonly pages = new Map<string, RunPage>();
  private readonly runIndex = new Map<string, RunNode>();
  private readonly pendingExperiments = new Set<string>();
  private pendingRoot = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private firstExpanded = false;
  private startedOnce = false;
  private rootLoadFailed = false;
  readonly view: vscode.TreeView<Node>;

  constructor(private readonly backend: Backend) {
    this.view = vscode.window.createTreeView('mltrack.runs', { treeDataProvider: this, canSelectMany: true, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changed,
      backend.onNotification(Notification.runsChanged, (p) => this.onRunChanged(p)),
      // A restart (or a start after a failed load) needs a reload; the first start that serves an in-flight load does not.
      backend.onDidStart(() => {
        if (this.startedOnce || this.rootLoadFailed) this.refresh();
        this.startedOnce = true;
      }),
      vscode.commands.registerCommand('mltrack.loadMoreRuns', (node: MoreNode) => this.loadMore(node)),
    );
    // ages in descriptions: re-render (from cache) once a minute while visible
    const ticker = setInterval(() => {
      if (this.view.visible && this.experiments) for (const e of this.experiments) if (this.pages.has(e.exp.experimentId)) this.changed.fire(e);
    }, 60_000);
    this.disposables.push(new vscode.Disposable(() => clearInterval(ticker)));
  }

  /** Reloads everything. */
  refresh(): void {
    this.experiments = undefined;
    for (const p of this.pages.values()) p.stale = true;
    this.changed.fire(undefined);
  }

  /** The runs selected in the tree (for compare / delete). */
  selectedRuns(): RunRow[] {
    return this.view.selection.filter((n): n is RunNode => n.type === 'run').map((n) => n.row);
  }

  /** A run already shown in the tree, if any. */
  knownRun(runId: string): RunRow | undefined {
    return this.runIndex.get(runId)?.row;
  }

  /** Reveals and expands an experiment (search hits). */
  async revealExperiment(experimentId: string): Promise<void> {
    if (!this.experiments) await this.getChildren();
    let node = this.expById.get(experimentId);
    if (!node) {
      this.refresh();
      await this.getChildren();
      node = this.expById.get(experimentId);
    }
    if (node) await this.view.reveal(node, { select: true, focus: true, expand: true });
  }

  getParent(node: Node): Node | undefined {
    return node.type === 'run' || node.type === 'more' ? node.parent : undefined;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.type) {
      case 'experiment': {
        const expand = !this.firstExpanded && this.experiments?.[0] === node;
        const item = new vscode.TreeItem(
          node.exp.name,
          expand ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
        );
        if (expand) this.firstExpanded = true;
        item.id = `exp:${node.exp.experimentId}`;
        item.description = `${node.exp.runCount} run${node.exp.runCount === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('folder-library');
        item.contextValue = 'experiment';
        item.tooltip = `Experiment ${node.exp.name} (id ${node.exp.experimentId}), ${node.exp.runCount} runs`;
        return item;
      }
      case 'run':
        return runTreeItem(node.row);
      case 'more': {
        const item = new vscode.TreeItem('Load more runs…', vscode.TreeItemCollapsibleState.None);
        item.id = `more:${node.parent.exp.experimentId}:${node.pageToken}`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.command = { command: 'mltrack.loadMoreRuns', title: 'Load more runs', arguments: [node] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon ?? 'info');
        item.command = node.command;
        item.tooltip = node.text;
        return item;
      }
    }
  }

  async getChildren(node?: Node): Promise<Node[]> {
    try {
      if (!node) {
        const children = await this.rootChildren();
        this.rootLoadFailed = false;
        return children;
      }
      if (node.type === 'experiment') return await this.runChildren(node);
      return [];
    } catch (e) {
      if (!node) this.rootLoadFailed = true;
      if (!node && isQuiet(e)) {
        return [
          {
            type: 'message',
            text: 'MLTrack backend unavailable: set mltrack.backendPath',
            icon: 'warning',
            command: { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: ['mltrack.backendPath'] },
          },
        ];
      }
      return [{ type: 'message', text: `Could not load runs: ${errorText(e)}`, icon: 'error', command: { command: 'mltrack.refreshRuns', title: 'Retry' } }];
    }
  }

  private async rootChildren(): Promise<Node[]> {
    if (!this.experiments) {
      const [exps, recent] = await Promise.all([
        this.backend.request(Method.experimentsList, {}),
        this.backend.request(Method.runsList, { maxResults: 100 }),
      ]);
      const activity = new Map<string, number>();
      for (const r of recent.runs) if (!activity.has(r.experimentId)) activity.set(r.experimentId, r.startTime);
      const nodes: ExperimentNode[] = exps
        .filter((e) => e.runCount > 0 || activity.has(e.experimentId))
        .map((exp) => {
          const old = this.expById.get(exp.experimentId);
          const act = Math.max(activity.get(exp.experimentId) ?? 0, old?.activity ?? 0);
          if (old) {
            old.exp = exp;
            old.activity = act;
            return old;
          }
          return { type: 'experiment', exp, activity: act };
        });
      nodes.sort((a, b) => b.activity - a.activity || b.exp.lastUpdateTime - a.exp.lastUpdateTime || a.exp.name.localeCompare(b.exp.name));
      this.expById.clear();
      for (const n of nodes) this.expById.set(n.exp.experimentId, n);
      this.experiments = nodes;
    }
    return this.experiments;
  }

  private async runChildren(exp: ExperimentNode): Promise<Node[]> {
    let page = this.pages.get(exp.exp.experimentId);
    if (!page || page.stale) {
      // a refresh keeps as many rows as were shown (up to 2,000), so "load more" pages are not lost
      const res = await this.backend.request(Method.runsList, {
        experimentIds: [exp.exp.experimentId],
        maxResults: Math.min(2000, Math.max(PAGE_SIZE, page?.nodes.length ?? 0)),
      });
      if (page) for (const n of page.nodes) if (this.runIndex.get(n.row.runId) === n) this.runIndex.delete(n.row.runId);
      page = { nodes: res.runs.map((row) => this.indexRun(row, exp)), nextPageToken: res.nextPageToken, stale: false };
      this.pages.set(exp.exp.experimentId, page);
      if (res.runs.length > 0) exp.activity = Math.max(exp.activity, res.runs[0].startTime);
    }
    const out: Node[] = [...page.nodes];
    if (page.nextPageToken) out.push({ type: 'more', parent: exp, pageToken: page.nextPageToken });
    return out;
  }

  private indexRun(row: RunRow, parent: ExperimentNode): RunNode {
    const node: RunNode = { type: 'run', row, parent };
    this.runIndex.set(row.runId, node);
    return node;
  }

  private async loadMore(more: MoreNode): Promise<void> {
    const page = this.pages.get(more.parent.exp.experimentId);
    if (!page) return;
    try {
      const res = await this.backend.request(Method.runsList, {
        experimentIds: [more.parent.exp.experimentId],
        maxResults: PAGE_SIZE,
        pageToken: more.pageToken,
      });
      page.nodes.push(...res.runs.filter((r) => !this.runIndex.has(r.runId)).map((r) => this.indexRun(r, more.parent)));
      page.nextPageToken = res.nextPageToken;
      this.changed.fire(more.parent);
    } catch (e) {
      if (!isQuiet(e)) void vscode.window.showErrorMessage(`MLTrack: could not load more runs: ${errorText(e)}`);
    }
  }

  private onRunChanged(p: RunChangedParams): void {
    const node = this.runIndex.get(p.runId);
    const expId = p.experimentId ?? node?.parent.exp.experimentId;
    if (node) {
      if (p.status) node.row.status = p.status;
      if (p.name) node.row.name = p.name;
      if (p.metrics) node.row.metrics = { ...node.row.metrics, ...p.metrics };
      if (p.kind === 'metrics' || p.kind === 'tags') {
        this.changed.fire(node);
        if (!p.status || !TERMINAL.has(p.status) || node.row.endTime) return;
      } else {
        this.changed.fire(node);
      }
    }
    if (p.kind === 'created' || p.kind === 'deleted' || p.kind === 'restored' || !node) {
      this.pendingRoot = true;
      if (expId) {
        const exp = this.expById.get(expId);
        if (exp && p.kind === 'created') exp.activity = Date.now();
      }
    }
    if (expId) this.pendingExperiments.add(expId);
    this.flushTimer ??= setTimeout(() => this.flush(), 300);
  }

  private flush(): void {
    this.flushTimer = undefined;
    const ids = [...this.pendingExperiments];
    this.pendingExperiments.clear();
    for (const id of ids) {
      const page = this.pages.get(id);
      if (page) page.stale = true;
    }
    if (this.pendingRoot || !this.experiments) {
      this.pendingRoot = false;
      this.experiments = undefined;
      this.changed.fire(undefined);
      return;
    }
    for (const id of ids) {
      const exp = this.expById.get(id);
      if (exp) this.changed.fire(exp);
    }
  }

  dispose(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const d of this.disposables) d.dispose();
  }
}

export function runTreeItem(row: RunRow): vscode.TreeItem {
  const item = new vscode.TreeItem(runLabel(row), vscode.TreeItemCollapsibleState.None);
  item.id = `run:${row.runId}`;
  const now = Date.now();
  item.description = runDescription({ status: row.status, startTime: row.startTime, endTime: row.endTime, metrics: rowMetrics(row) }, now);
  const icon = statusIcon(row.status);
  item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
  item.contextValue = `run.${row.status.toLowerCase()}`;
  item.tooltip = runTooltip(row, now);
  item.command = { command: 'mltrack.openRun', title: 'Open Run', arguments: [row.runId] };
  item.accessibilityInformation = { label: `${runLabel(row)}, ${row.status}, ${item.description}` };
  return item;
}

function runTooltip(row: RunRow, now: number): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(runLabel(row))}** \`${shortId(row.runId)}\` · ${row.status}\n\n`);
  md.appendMarkdown(`Experiment: ${escape(row.experimentName)}  \n`);
  md.appendMarkdown(`Started: ${new Date(row.startTime).toLocaleString()}`);
  const dur = row.durationMs ?? (row.status === 'RUNNING' ? now - row.startTime : null);
  if (dur !== null) md.appendMarkdown(` · ${formatDuration(dur)}`);
  md.appendMarkdown('  \n');
  if (row.sourceFile) md.appendMarkdown(`Source: \`${row.sourceFile.replace(/`/g, "'")}\`  \n`);
  if (row.user) md.appendMarkdown(`User: ${escape(row.user)}  \n`);
  const params = Object.entries(row.params ?? {});
  if (params.length) {
    md.appendMarkdown('\n**Params** ');
    md.appendMarkdown(params.slice(0, 12).map(([k, v]) => `${escape(k)}=${escape(v)}`).join(', ') + (params.length > 12 ? ', …' : '') + '\n');
  }
  const metrics = Object.entries(row.metrics ?? {}).filter(([k]) => !k.startsWith('system/'));
  if (metrics.length) {
    md.appendMarkdown('\n**Metrics** ');
    md.appendMarkdown(metrics.slice(0, 12).map(([k, v]) => `${escape(k)} ${formatValue(v)}`).join(', ') + (metrics.length > 12 ? ', …' : ''));
  }
  return md;
}
