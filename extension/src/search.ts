// MLTrack: Search — a QuickPick over search/query as you type (debounced, stale answers dropped), ranked hits with
// an icon per kind; Enter opens the hit; "Show all results" opens the results panel.
import * as vscode from 'vscode';
import { Backend, errorText, isQuiet } from './backend';
import { formatAge, runLabel, shortId } from './format';
import { Method, type SearchHit } from './protocol';

const DEBOUNCE_MS = 120;
const LIMIT = 50;

const KIND_ICON: Record<string, string> = {
  run: 'beaker',
  experiment: 'folder-library',
  param: 'symbol-parameter',
  tag: 'tag',
  metric: 'graph-line',
  artifact: 'file',
  deployment: 'rocket',
};

type Item = vscode.QuickPickItem & { hit?: SearchHit; showAll?: boolean; runId?: string };

export function searchItem(hit: SearchHit): Item {
  return {
    label: hit.title,
    iconPath: new vscode.ThemeIcon(KIND_ICON[hit.kind] ?? 'search'),
    description: hit.kind,
    detail: hit.detail,
    alwaysShow: true,
    hit,
  };
}

/** Runs the Search QuickPick. `open` acts on the chosen hit. */
export function showSearch(backend: Backend, open: (hit: SearchHit) => void, showAll: (text: string) => void, initial = ''): void {
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'MLTrack: Search';
  qp.placeholder = 'Search runs, experiments, params, tags, metrics, artifacts';
  qp.matchOnDescription = false;
  qp.matchOnDetail = false;
  qp.value = initial;
  let seq = 0;
  let timer: NodeJS.Timeout | undefined;
  let cts: vscode.CancellationTokenSource | undefined;

  const query = (text: string): void => {
    const mine = ++seq;
    cts?.cancel();
    cts = new vscode.CancellationTokenSource();
    const token = cts.token;
    qp.busy = true;
    const request = text.trim()
      ? backend.request(Method.searchQuery, { text, limit: LIMIT }, token).then((r) => {
          const items = r.hits.map(searchItem);
          if (items.length === 0) items.push({ label: `No results for “${text}”`, alwaysShow: true });
          else if (r.fuzzy) items[0] = { ...items[0], description: `${items[0].description} · typo-tolerant` };
          items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
          items.push({ label: 'Show all results', iconPath: new vscode.ThemeIcon('list-flat'), alwaysShow: true, showAll: true });
          return items;
        })
      : backend.request(Method.runsList, { maxResults: 15 }, token).then((r) => {
          const now = Date.now();
          const items: Item[] = [{ label: 'Recent runs', kind: vscode.QuickPickItemKind.Separator }];
          for (const run of r.runs) {
            items.push({
              label: runLabel(run),
              iconPath: new vscode.ThemeIcon(KIND_ICON.run),
              description: `${run.status} · ${formatAge(run.startTime, now)}`,
              detail: `${run.experimentName} · ${shortId(run.runId)}`,
              alwaysShow: true,
              runId: run.runId,
            });
          }
          return items;
        });
    request.then(
      (items) => {
        if (mine !== seq) return; // a newer query is on its way: drop this answer
        qp.items = items;
        qp.busy = false;
      },
      (e) => {
        if (mine !== seq) return;
        qp.busy = false;
        if (token.isCancellationRequested) return;
        qp.items = [{ label: isQuiet(e) ? 'MLTrack backend unavailable' : `Search failed: ${errorText(e)}`, alwaysShow: true }];
      },
    );
  };

  qp.onDidChangeValue((text) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => query(text), DEBOUNCE_MS);
  });
  qp.onDidAccept(() => {
    const item = qp.selectedItems[0] ?? qp.activeItems[0];
    const text = qp.value;
    if (!item) {
      if (text.trim()) {
        qp.hide();
        showAll(text);
      }
      return;
    }
    if (item.showAll) {
      qp.hide();
      showAll(text);
    } else if (item.hit) {
      qp.hide();
      open(item.hit);
    } else if (item.runId) {
      qp.hide();
      void vscode.commands.executeCommand('mltrack.openRun', item.runId);
    }
  });
  qp.onDidHide(() => {
    if (timer) clearTimeout(timer);
    cts?.cancel();
    seq++;
    qp.dispose();
  });
  qp.show();
  query(initial);
}
