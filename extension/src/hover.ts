// Metric hovers in Python: the metric name under the mouse (pythonScan.metricAt) → metrics/latest → Markdown with
// latest and best values, the run, a sparkline and links to open the run and the chart.
import * as vscode from 'vscode';
import { Backend, isQuiet } from './backend';
import { hoverFromLatest } from './format';
import { Method, type MetricLatestResult } from './protocol';
import { metricAt } from './pythonScan';

const LINK_COMMANDS = ['mltrack.openRun', 'mltrack.showChart'];

export class MetricHoverProvider implements vscode.HoverProvider {
  constructor(private readonly backend: Backend) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (!vscode.workspace.getConfiguration('mltrack', document.uri).get<boolean>('hover.enabled', true)) return undefined;
    // only the lines the scanner may look at: the hovered one and up to 2,000 above (multi-line dicts, decorators)
    const first = Math.max(0, position.line - 2000);
    const lines: string[] = new Array(position.line + 1);
    for (let i = first; i <= position.line; i++) lines[i] = document.lineAt(i).text;
    for (let i = 0; i < first; i++) lines[i] = '';
    const ref = metricAt(lines, position.line, position.character);
    if (!ref) return undefined;
    let result: MetricLatestResult;
    try {
      result = await this.backend.request(Method.metricsLatest, { key: ref.name }, token);
    } catch (e) {
      if (token.isCancellationRequested || isQuiet(e)) return undefined;
      throw e;
    }
    if (token.isCancellationRequested) return undefined;
    const md = new vscode.MarkdownString(hoverFromLatest(result, Date.now()), true);
    md.isTrusted = { enabledCommands: LINK_COMMANDS };
    return new vscode.Hover(md, new vscode.Range(ref.line, ref.start, ref.line, ref.end));
  }
}
