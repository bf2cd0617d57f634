// "MLTrack: Show Chart": the metric charts of the webviews app (webviews/src/panels/charts) for a run and a key
// (or all its keys); one panel per run(s) and key.
import * as vscode from 'vscode';
import { Backend } from '../backend';
import { openChartPanel } from './webviewHost';

export class ChartPanel {
  static show(_extensionUri: vscode.Uri, _backend: Backend, runId: string, key: string | undefined): void {
    openChartPanel([runId], key);
  }

  static showRuns(runIds: string[], key?: string): void {
    openChartPanel(runIds, key);
  }
}
