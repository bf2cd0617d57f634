// "MLTrack: Open Run": the run page of the webviews app (webviews/src/panels/run), one panel re-targeted per run.
import * as vscode from 'vscode';
import { Backend } from '../backend';
import { openRunPanel } from './webviewHost';

export class RunPanel {
  static show(_extensionUri: vscode.Uri, _backend: Backend, runId: string): void {
    openRunPanel(runId);
  }
}
