// "MLTrack: Show Lineage": the lineage graph of the webviews app (webviews/src/panels/lineage) around a run.
import * as vscode from 'vscode';
import { Backend } from '../backend';
import { openLineagePanel } from './webviewHost';

export async function showLineagePanel(_extensionUri: vscode.Uri, _backend: Backend, runId: string): Promise<void> {
  openLineagePanel({ runId, direction: 'both' });
}
