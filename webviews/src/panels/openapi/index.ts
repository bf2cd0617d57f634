// OpenAPI viewer of a deployment: its operations (method, path, summary), request and response schemas as tables,
// an example request (editable) with its curl command, and "Try it" against a READY local deployment. The webview's
// CSP allows no connections, so "Try it" posts `mltrack.deployTryIt` and the extension host sends the request to the
// loopback /predict and posts back {type:'tryItResult', ok, status, body, ms}.
import './openapi.css';
import { errorText, h, message, render, shortId } from '../../dom';
import { postCommand, rpc } from '../../transport';
import { baseUrlOf, curlCommand, operations, schemaRows, type Operation, type Schema, type Spec } from './logic';

interface OpenApiArgs {
  deploymentId?: string;
  name?: string;
  target?: string;
  endpointUrl?: string | null;
  canTry?: boolean;
  spec?: Spec;
}

function schemaTable(spec: Spec, schema: Schema | null): HTMLElement {
  if (!schema) return h('div', { class: 'mt-muted' }, 'No schema.');
  const rows = schemaRows(spec, schema);
  return h(
    'table',
    { class: 'oa-schema' },
    h('thead', null, h('tr', null, h('th', null, 'Field'), h('th', null, 'Type'), h('th', null, 'Required'), h('th', null, 'Description'))),
    h(
      'tbody',
      null,
      rows.map((r) =>
        h(
          'tr',
          null,
          h('td', { class: 'oa-path', style: { paddingLeft: `${6 + r.depth * 14}px` } }, r.path || '(body)'),
          h('td', { class: 'oa-type' }, r.type),
          h('td', null, r.required ? 'yes' : ''),
          h('td', null, r.description),
        ),
      ),
    ),
  );
}

export function mount(root: HTMLElement, args: OpenApiArgs): void {
  root.classList.add('oa-root');
  if ((!args?.spec || typeof args.spec !== 'object') && typeof args?.deploymentId === 'string' && args.deploymentId) {
    // Opened by id (the browser's Deployments list): read the deployment and its spec, then draw.
    const id = args.deploymentId;
    render(root, message('Loading the OpenAPI specification…', 'loading'));
    Promise.all([rpc('deployments/get', { deploymentId: id }), rpc('deployments/openapi', { deploymentId: id })]).then(
      ([d, o]) => mount(root, { deploymentId: id, name: d.name, target: d.target, endpointUrl: d.endpointUrl, canTry: false, spec: o.spec as Spec }),
      (e) => render(root, message(`Could not load the OpenAPI specification: ${errorText(e)}`, 'error')),
    );
    return;
  }
  const spec = args?.spec;
  if (!spec || typeof spec !== 'object') {
    render(root, message('No OpenAPI specification for this deployment.', 'error'));
    return;
  }
  const ops = operations(spec);
  const base = baseUrlOf(spec, args.endpointUrl);
  const tryOutputs = new Map<string, HTMLElement>();

  window.addEventListener('message', (ev: MessageEvent) => {
    const m = ev.data as { type?: string; ok?: boolean; status?: number; body?: string; ms?: number };
    if (m?.type !== 'tryItResult') return;
    for (const out of tryOutputs.values()) {
      if (out.dataset.waiting !== 'true') continue;
      out.dataset.waiting = 'false';
      render(
        out,
        h('div', { class: `oa-try-status ${m.ok ? 'oa-ok' : 'oa-fail'}` }, m.status ? `HTTP ${m.status}` : 'No response', m.ms ? ` · ${m.ms} ms` : ''),
        h('pre', { class: 'oa-code oa-response' }, m.body ?? ''),
      );
    }
  });

  const opView = (op: Operation) => {
    const key = `${op.method} ${op.path}`;
    const example = op.requestExample === undefined ? undefined : JSON.stringify(op.requestExample, null, 2);
    const editor = example !== undefined ? (h('textarea', { class: 'oa-code oa-example', rows: Math.min(14, example.split('\n').length + 1), spellcheck: false, 'aria-label': `Example request of ${key}` }) as HTMLTextAreaElement) : null;
    if (editor) editor.value = example!;
    const curl = h('pre', { class: 'oa-code oa-curl' }, curlCommand(base, op, op.requestExample));
    editor?.addEventListener('input', () => {
      try {
        curl.textContent = curlCommand(base, op, JSON.parse(editor.value));
      } catch {
        /* keep the last valid one */
      }
    });
    const out = h('div', { class: 'oa-try-output', 'aria-live': 'polite' });
    tryOutputs.set(key, out);
    const isPredict = op.method === 'POST' && /\/predict$/.test(op.path);
    const tryButton =
      isPredict && editor
        ? h(
            'button',
            {
              class: 'oa-try',
              disabled: !args.canTry,
              title: args.canTry ? 'Send the example to the local deployment' : 'Available for a READY local deployment',
              onclick: () => {
                let body: unknown;
                try {
                  body = JSON.parse(editor.value);
                } catch (e) {
                  render(out, h('div', { class: 'oa-try-status oa-fail' }, `The example is not valid JSON: ${(e as Error).message}`));
                  return;
                }
                out.dataset.waiting = 'true';
                render(out, h('div', { class: 'mt-muted' }, 'Sending…'));
                if (!postCommand('mltrack.deployTryIt', [args.deploymentId, JSON.stringify(body)])) {
                  out.dataset.waiting = 'false';
                  render(out, h('div', { class: 'oa-try-status oa-fail' }, '"Try it" runs inside VS Code; use the curl command here.'));
                }
              },
            },
            'Try it',
          )
        : null;
    return h(
      'section',
      { class: 'oa-op', 'data-op': key },
      h('h2', { class: 'oa-op-title' }, h('span', { class: `oa-method oa-method-${op.method.toLowerCase()}` }, op.method), h('span', { class: 'oa-op-path' }, op.path), op.summary ? h('span', { class: 'oa-summary mt-muted' }, op.summary) : null),
      op.description ? h('p', null, op.description) : null,
      op.requestSchema ? [h('h3', null, 'Request body'), schemaTable(spec, op.requestSchema)] : null,
      op.responses.length > 0
        ? [h('h3', null, 'Responses'), op.responses.map((r) => h('div', { class: 'oa-response-block' }, h('div', { class: 'oa-status' }, h('strong', null, r.status), ' ', r.description), r.schema ? schemaTable(spec, r.schema) : null))]
        : null,
      editor ? [h('h3', null, 'Example request'), editor, h('div', { class: 'oa-try-bar' }, tryButton), out] : null,
      h('details', null, h('summary', null, 'curl'), curl),
    );
  };

  const info = (spec.info ?? {}) as { title?: string; version?: string; description?: string };
  render(
    root,
    h(
      'header',
      { class: 'oa-header' },
      h('h1', null, info.title || args.name || 'OpenAPI'),
      h('div', { class: 'mt-muted' }, [info.version ? `version ${info.version}` : '', args.target ?? '', args.deploymentId ? shortId(args.deploymentId) : ''].filter(Boolean).join(' · ')),
      base ? h('div', { class: 'oa-base' }, 'Endpoint: ', h('code', null, base)) : null,
      info.description ? h('p', null, info.description) : null,
    ),
    ops.length === 0 ? message('The specification lists no operations.') : ops.map(opView),
  );
}
