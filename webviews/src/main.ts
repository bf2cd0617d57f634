// Entry point of the one webview bundle. The host page (VS Code webview or `mltrack ui`) is:
//   <body data-panel="runs|charts|…|analytics|activity|reports|production" data-args='<json>' [data-rpc]>
//     <div id="app"></div> + main.css + main.js (nonce'd)
// main reads the panel name and args and mounts that panel into #app.
import { saveState } from './state';
import { applyTheme } from './preferences';
import { inVsCode, onSignedOut } from './transport';
import 'uplot/dist/uPlot.min.css';
import './theme.css';
import * as runs from './panels/runs/index';
import * as charts from './panels/charts/index';
import * as compare from './panels/compare/index';
import * as run from './panels/run/index';
import * as lineage from './panels/lineage/index';
import * as search from './panels/search/index';
import * as deployForm from './panels/deployForm/index';
import * as openapi from './panels/openapi/index';
import * as deployments from './panels/deployments/index';
import * as analytics from './panels/analytics/index';
import * as activity from './panels/activity/index';
import * as reports from './panels/reports/index';
import * as production from './panels/production/index';

export interface PanelModule {
  mount(root: HTMLElement, args: any): void;
}

const panels: Record<string, PanelModule> = {
  runs, charts, compare, run, lineage, search, deployForm, openapi, deployments, analytics, activity, reports, production,
};

function parseArgs(raw: string | undefined): any {
  if (!raw) return {};
  try {
    return JSON.parse(raw);
  } catch {
    return {};
  }
}

/** What a browser page shows once its session has ended: every panel would otherwise just fail call after call. */
function signedOutBanner(): HTMLElement {
  const banner = document.createElement('div');
  banner.className = 'mt-signed-out';
  banner.setAttribute('role', 'alert');
  banner.textContent = 'This page is signed out (mltrack ui stopped or restarted, or its session ended): run `mltrack ui --open` for a new link.';
  return banner;
}

function start(): void {
  const body = document.body;
  // Browser fallback: /ui/<panel>?args=<json> when the host did not fill the data attributes.
  const q = new URLSearchParams(location.search);
  const name = body.dataset.panel || q.get('panel') || location.pathname.split('/').filter(Boolean).pop() || 'runs';
  const args = parseArgs(body.dataset.args ?? q.get('args') ?? undefined);
  const root = document.getElementById('app') ?? body.appendChild(document.createElement('div'));
  root.id = 'app';
  // Keep the args in the panel's state: VS Code's panel serializer reads `__args` to reopen the same panel after a reload.
  if (body.dataset.args) saveState(body.dataset.args, '__args');
  if (!inVsCode()) onSignedOut(() => body.prepend(signedOutBanner()));
  // The browser UI's theme preference (VS Code panels follow VS Code's theme); idempotent, panels may call it too.
  applyTheme();
  const panel = panels[name];
  if (!panel) {
    root.textContent = `Unknown panel "${name}".`;
    return;
  }
  try {
    panel.mount(root, args);
  } catch (e) {
    console.error(e);
    root.textContent = `The ${name} panel failed to start: ${(e as Error).message ?? e}`;
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
