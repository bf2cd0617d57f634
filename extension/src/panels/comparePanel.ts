// "MLTrack: Compare Runs": the compare view of the webviews app (webviews/src/panels/compare) for 2+ runs.
import * as vscode from 'vscode';
import { Backend } from '../backend';
import { openComparePanel } from './webviewHost';

export async function showComparePanel(_extensionUri: vscode.Uri, _backend: Backend, runIds: string[]): Promise<void> {
  openComparePanel(runIds);
}
