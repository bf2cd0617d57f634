// "MLTrack: Open Runs Table": the experiments table of the webviews app (webviews/src/panels/runs), one panel.
import { openRunsPanel } from './webviewHost';

export function showRunsTable(filter?: string): void {
  openRunsPanel(filter ? { filter } : {});
}
