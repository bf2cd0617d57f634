// "Show all results" of MLTrack: Search: the search results page of the webviews app (webviews/src/panels/search).
import * as vscode from 'vscode';
import { Backend } from '../backend';
import { openSearchPanel } from './webviewHost';

export async function showSearchResultsPanel(_extensionUri: vscode.Uri, _backend: Backend, text: string): Promise<void> {
  openSearchPanel(text);
}
