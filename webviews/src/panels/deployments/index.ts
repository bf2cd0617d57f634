// Deployments list: name, run, target, status, endpoint, age; Stop / Delete (deployments/stop, deployments/delete)
// and OpenAPI per row (VS Code: the `mltrack.deployments.openApi` command; browser: the openapi panel, which reads
// the spec itself). Live: reloaded on deployments/changed (a known row is patched at once) and on reconnect.
import './deployments.css';
import type { DeploymentInfo } from '../../../../extension/src/protocol';
import { h, message, render, shortId, statusBadge } from '../../dom';
import { openRun, panelUrl } from '../../nav';
import { onNotification, onReconnect, postCommand, rpc } from '../../transport';
import { applyChange, canOpenApi, canStop, formatAge, sortDeployments } from './logic';

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function mount(root: HTMLElement, args: { runId?: string }): void {
  root.classList.add('dp-root');
  const runId = typeof args?.runId === 'string' && args.runId ? args.runId : undefined;
  const status = h('div', { class: 'dp-status', 'aria-live': 'polite' });
  const body = h('div', { class: 'dp-body' });
  render(
    root,
    h('div', { class: 'mt-toolbar' }, h('h1', null, runId ? `Deployments of run ${shortId(runId)}` : 'Deployments'), h('span', { class: 'mt-spacer' }), h('button', { class: 'mt-secondary dp-refresh', onclick: () => void load() }, 'Refresh')),
    status,
    body,
  );

  let list: DeploymentInfo[] | null = null;
  let loading = 0;
  const armedDelete = new Set<string>();

  async function load(): Promise<void> {
    const seq = ++loading;
    if (!list) render(body, message('Loading deployments…', 'loading'));
    try {
      const r = await rpc('deployments/list', runId ? { runId } : {});
      if (seq !== loading) return;
      list = sortDeployments(r ?? []);
      render(status);
      draw();
    } catch (e) {
      if (seq !== loading) return;
      render(status, h('div', { class: 'mt-message mt-error', role: 'alert' }, `Could not load the deployments: ${errText(e)}`));
      if (!list) render(body);
    }
  }

  function act(d: DeploymentInfo, what: 'stop' | 'delete'): void {
    const p = what === 'stop' ? rpc('deployments/stop', { deploymentId: d.deploymentId }) : rpc('deployments/delete', { deploymentId: d.deploymentId });
    p.then(
      () => void load(),
      (e) => render(status, h('div', { class: 'mt-message mt-error', role: 'alert' }, `Could not ${what} ${d.name}: ${errText(e)}`)),
    );
  }

  function openApi(d: DeploymentInfo): void {
    if (postCommand('mltrack.deployments.openApi', [d.deploymentId])) return;
    location.assign(panelUrl('openapi', { deploymentId: d.deploymentId }));
  }

  function draw(): void {
    if (!list) return;
    if (list.length === 0) {
      render(body, h('div', { class: 'mt-message dp-empty' }, runId ? 'This run has no deployments.' : 'No deployments yet. Deploy a run that logged a model (the Deploy button on its run page, or `mltrack deploy RUN`).'));
      return;
    }
    const now = Date.now();
    render(
      body,
      h(
        'table',
        { class: 'dp-table' },
        h('thead', null, h('tr', null, ['Name', 'Run', 'Target', 'Status', 'Endpoint', 'Age', ''].map((t) => h('th', null, t)))),
        h(
          'tbody',
          null,
          list.map((d) => {
            const armed = armedDelete.has(d.deploymentId);
            return h(
              'tr',
              { class: 'dp-row', 'data-id': d.deploymentId, 'data-status': d.status },
              h('td', { class: 'dp-name' }, h('b', null, d.name), d.modelVersion ? h('span', { class: 'mt-muted' }, ` ${d.modelVersion}`) : null),
              h('td', null, h('a', { class: 'dp-run', title: d.runId, onclick: () => openRun(d.runId) }, shortId(d.runId))),
              h('td', null, d.target),
              h('td', null, statusBadge(d.status), d.message ? h('div', { class: 'dp-message mt-muted' }, d.message) : null),
              h('td', { class: 'dp-endpoint' }, d.endpointUrl ?? ''),
              h('td', { class: 'dp-age', title: new Date(d.createdAt).toLocaleString() }, formatAge(d.createdAt, now)),
              h(
                'td',
                null,
                h(
                  'div',
                  { class: 'dp-actions' },
                  h('button', { class: 'mt-secondary dp-openapi', disabled: !canOpenApi(d), onclick: () => openApi(d) }, 'OpenAPI'),
                  h('button', { class: 'mt-secondary dp-stop', disabled: !canStop(d.status), onclick: () => act(d, 'stop') }, 'Stop'),
                  h(
                    'button',
                    {
                      class: 'mt-secondary dp-delete',
                      title: armed ? 'Click again to delete' : 'Delete this deployment (stops it first)',
                      onclick: () => {
                        if (!armed) {
                          armedDelete.add(d.deploymentId);
                          draw();
                          setTimeout(() => armedDelete.delete(d.deploymentId) && draw(), 4000);
                          return;
                        }
                        armedDelete.delete(d.deploymentId);
                        act(d, 'delete');
                      },
                    },
                    armed ? 'Confirm delete' : 'Delete',
                  ),
                ),
              ),
            );
          }),
        ),
      ),
    );
  }

  onNotification('deployments/changed', (c) => {
    if (runId && c.runId !== runId) return;
    const next = list ? applyChange(list, c, Date.now()) : null;
    if (next) {
      list = next;
      draw();
    }
    void load();
  });
  onReconnect(() => void load());
  setInterval(() => {
    if (list && list.length > 0 && !document.hidden) draw(); // ages
  }, 60_000);
  void load();
}
