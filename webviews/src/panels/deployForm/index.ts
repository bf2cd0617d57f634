// Deployment form: target (local | modal), name, version, CPU, memory, GPU, min containers, env vars; validation
// messages inline. Submit posts `mltrack.deploySubmit` to the extension, which calls deployments/create, closes this
// panel and tracks the deployment (a failure comes back as a {type:'deployError'} message).
import './deployForm.css';
import { h, message, render, shortId } from '../../dom';
import { loadState, saveState } from '../../state';
import { postCommand } from '../../transport';
import { defaultValues, GPU_TYPES, validateDeployForm, type DeployField, type DeployFormValues } from './logic';

interface FormArgs {
  runId?: string;
  runName?: string | null;
  framework?: string | null;
}

export function mount(root: HTMLElement, args: FormArgs): void {
  root.classList.add('df-root');
  const runId = typeof args?.runId === 'string' ? args.runId : '';
  if (!runId) {
    render(root, message('No run to deploy.', 'error'));
    return;
  }
  const values: DeployFormValues = { ...defaultValues(args.runName, runId), ...(loadState<DeployFormValues>('deployForm') ?? {}) };
  const errorEls = new Map<DeployField, HTMLElement>();
  const inputs = new Map<DeployField, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>();
  const banner = h('div', { class: 'df-banner', role: 'alert' });
  let touched = false;

  const field = (name: DeployField, label: string, control: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, hint?: string) => {
    control.id = `df-${name}`;
    control.name = name;
    control.addEventListener('input', () => {
      (values as unknown as Record<string, string>)[name] = control.value;
      saveState(values, 'deployForm');
      if (touched) check();
      if (name === 'target') syncTarget();
    });
    inputs.set(name, control);
    const err = h('div', { class: 'df-error', id: `df-${name}-error`, 'aria-live': 'polite' });
    control.setAttribute('aria-describedby', `df-${name}-error`);
    errorEls.set(name, err);
    return h('div', { class: `df-field df-field-${name}` }, h('label', { for: `df-${name}` }, label), control, hint ? h('div', { class: 'df-hint mt-muted' }, hint) : null, err);
  };
  const text = (name: DeployField, placeholder = '') => h('input', { type: 'text', value: values[name], placeholder, spellcheck: false });

  const target = h(
    'select',
    null,
    h('option', { value: 'local', selected: values.target === 'local' }, 'Local (serves on 127.0.0.1)'),
    h('option', { value: 'modal', selected: values.target === 'modal' }, 'Modal (serverless HTTPS endpoint)'),
  );
  const gpuList = h('datalist', { id: 'df-gpus' }, GPU_TYPES.map((g) => h('option', { value: g })));
  const gpu = text('gpu', 'none');
  gpu.setAttribute('list', 'df-gpus');
  const env = h('textarea', { rows: 4, placeholder: 'KEY=value, one per line', spellcheck: false }) as HTMLTextAreaElement;
  env.value = values.env;
  // a button, not a form submission: the webview sandbox allows no forms (enableForms false)
  const submit = h('button', { type: 'button', class: 'df-submit', onclick: () => onSubmit() }, 'Deploy');

  const form = h(
    'div',
    { class: 'df-form', role: 'form', 'aria-label': 'Deployment settings' },
    field('target', 'Target', target),
    field('name', 'Name', text('name', 'my-model'), 'Lowercase letters, digits and dashes; the Modal app name.'),
    field('version', 'Version', text('version', '1.0.0')),
    h('div', { class: 'df-row' }, field('cpu', 'CPU', text('cpu', '1')), field('memoryMb', 'Memory (MB)', text('memoryMb', '512'))),
    h('div', { class: 'df-row df-modal-only' }, field('gpu', 'GPU', gpu, 'Modal only.'), field('minContainers', 'Min containers', text('minContainers', '0'))),
    field('env', 'Environment variables', env),
    gpuList,
    h('div', { class: 'df-actions' }, submit),
  );
  form.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !(ev.target instanceof HTMLTextAreaElement) && !(ev.target instanceof HTMLButtonElement)) {
      ev.preventDefault();
      onSubmit();
    }
  });
  function onSubmit(): void {
    if (submit.disabled) return;
    touched = true;
    const r = check();
    if (!r.config) {
      const first = [...inputs.entries()].find(([k]) => r.errors[k]);
      first?.[1].focus();
      return;
    }
    banner.textContent = '';
    const sent = postCommand('mltrack.deploySubmit', [{ runId, target: values.target, config: { ...r.config, modelName: args.runName || undefined } }]);
    if (!sent) {
      banner.textContent = 'Deploying from the browser UI is not available; use VS Code or `mltrack deploy`.';
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Deploying…';
  }

  window.addEventListener('message', (ev: MessageEvent) => {
    const m = ev.data as { type?: string; message?: string };
    if (m?.type !== 'deployError') return;
    banner.textContent = `Deployment failed: ${m.message ?? 'unknown error'}`;
    submit.disabled = false;
    submit.textContent = 'Deploy';
  });

  function check() {
    const r = validateDeployForm(values);
    for (const [k, el] of errorEls) {
      el.textContent = r.errors[k] ?? '';
      inputs.get(k)?.setAttribute('aria-invalid', r.errors[k] ? 'true' : 'false');
    }
    return r;
  }
  function syncTarget(): void {
    form.classList.toggle('df-local', values.target === 'local');
  }
  syncTarget();

  render(
    root,
    h('header', { class: 'df-header' }, h('h1', null, 'Deploy model'), h('div', { class: 'mt-muted' }, `Run ${args.runName ? `${args.runName} · ` : ''}${shortId(runId)}`, args.framework ? ` · ${args.framework}` : '')),
    banner,
    form,
  );
}
