// The metric charts panel: args {runIds: string[], keys?: string[]} (or {runId, key}) → a grid of charts.
import { mountChartGrid, type ChartGrid } from './grid';
import { h } from '../../dom';

export { mountChartGrid };
export type { ChartGrid };

export function mount(root: HTMLElement, args: any): void {
  const runIds: string[] = Array.isArray(args?.runIds) ? args.runIds : typeof args?.runId === 'string' ? [args.runId] : [];
  const keys: string[] | undefined = Array.isArray(args?.keys) ? args.keys : typeof args?.key === 'string' ? [args.key] : undefined;
  const scroller = h('div', { class: 'mt-charts-panel' });
  root.appendChild(scroller);
  mountChartGrid(scroller, { runIds, keys, scope: 'charts', height: keys && keys.length === 1 ? 420 : 260 });
}
