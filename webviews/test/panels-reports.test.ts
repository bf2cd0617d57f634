import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReportInfo } from '../../extension/src/protocol';
import {
  cardText, exportFileName, formatDate, formatInsights, formatKb, formatRange, generateParams, listParams, sortReports,
  type GenerateForm,
} from '../src/panels/reports/logic';
import { base64Utf8, CHART_ATTR, isDroppedAttribute, prepareMarkup, sanitizeTree, svgDataUri, svgSize, type ChartImage, type ReportNode } from '../src/panels/reports/sanitize';

// ---- a tiny DOM: just what sanitizeTree touches ---------------------------------------------------------------

const HTML_NS = 'http://www.w3.org/1999/xhtml';
const SVG_NS = 'http://www.w3.org/2000/svg';

class FakeEl implements ReportNode {
  readonly attrs = new Map<string, string>();
  kids: FakeEl[] = [];
  parent: FakeEl | null = null;
  constructor(readonly localName: string, readonly namespaceURI: string | null, readonly text = '') {}
  get children(): FakeEl[] {
    return this.kids;
  }
  get textContent(): string {
    return this.text + this.kids.map((k) => k.textContent).join('');
  }
  get ownerDocument() {
    return { createElement: (tag: string) => new FakeEl(tag, HTML_NS) };
  }
  getAttributeNames(): string[] {
    return [...this.attrs.keys()];
  }
  getAttribute(n: string): string | null {
    return this.attrs.get(n) ?? null;
  }
  setAttribute(n: string, v: string): void {
    this.attrs.set(n, v);
  }
  removeAttribute(n: string): void {
    this.attrs.delete(n);
  }
  remove(): void {
    if (this.parent) this.parent.kids = this.parent.kids.filter((k) => k !== this);
    this.parent = null;
  }
  replaceWith(node: ReportNode): void {
    const n = node as FakeEl;
    const p = this.parent!;
    p.kids = p.kids.map((k) => (k === this ? n : k));
    n.parent = p;
    this.parent = null;
  }
}

/** el('div', {class: 'x'}, child, 'text'); <svg> gets the SVG namespace (its children are never visited). */
function el(tag: string, attrs: Record<string, string> = {}, ...kids: (FakeEl | string)[]): FakeEl {
  const e = new FakeEl(tag, tag === 'svg' ? SVG_NS : HTML_NS, kids.filter((k): k is string => typeof k === 'string').join(''));
  for (const [k, v] of Object.entries(attrs)) e.attrs.set(k, v);
  for (const k of kids) if (typeof k !== 'string') (e.kids.push(k), (k.parent = e));
  return e;
}

/** Markup of a fake tree (stands in for XMLSerializer). */
function markup(n: ReportNode): string {
  const e = n as FakeEl;
  const attrs = [...e.attrs].map(([k, v]) => ` ${k}="${v}"`).join('');
  return `<${e.localName}${attrs}>${e.text}${e.kids.map(markup).join('')}</${e.localName}>`;
}

const tags = (n: FakeEl): string[] => n.kids.flatMap((k) => [k.localName, ...tags(k)]);
const decodeDataUri = (uri: string): string => Buffer.from(uri.replace(/^data:image\/svg\+xml;base64,/, ''), 'base64').toString('utf8');

// ---- the markup pass: what DOMParser never sees ----------------------------------------------------------------

const REPORT = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>R</title><style>body { color: #222 }</style></head>
<body><h1 class="title">Executive summary</h1><script>alert(1)</script>
<p style="color:red" onclick="steal()" title="a > b">Runs: 12</p>
<figure><svg viewBox="0 0 600 200" width="100%" role="img"><title>Runs per day</title><style>text{font:12px sans-serif}</style>
<rect x="1" y="2" width="3" height="4" style="fill:#3794ff"/><svg x="5"><text>µs</text></svg></svg><figcaption>Runs per day</figcaption></figure>
<SVG viewBox="0 0 10 10" aria-label="Cost &amp; time"></SVG></body></html>`;

test('prepareMarkup takes each outermost svg out whole, leaving a placeholder image', () => {
  const { html, charts } = prepareMarkup(REPORT);
  assert.equal(charts.length, 2);
  assert.doesNotMatch(html, /<svg/i);
  assert.match(html, new RegExp(`<figure><img ${CHART_ATTR}="0"><figcaption>`));
  assert.match(html, new RegExp(`<img ${CHART_ATTR}="1"></body>`));
});

test('a chart image is the svg with its namespace and styles, sized from its viewBox, named by its title', () => {
  const [runs, cost] = prepareMarkup(REPORT).charts as [ChartImage, ChartImage];
  const svg = decodeDataUri(runs.src);
  assert.match(svg, /^<svg viewBox="0 0 600 200" role="img" xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="600" height="200">/);
  assert.match(svg, /<style>text\{font:12px sans-serif\}<\/style>/);
  assert.match(svg, /style="fill:#3794ff"/);
  assert.match(svg, /<svg x="5"><text>µs<\/text><\/svg><\/svg>$/);
  assert.deepEqual([runs.alt, runs.width, runs.height], ['Runs per day', 600, 200]);
  assert.deepEqual([cost.alt, cost.width, cost.height], ['Cost & time', 10, 10]);
});

test('prepareMarkup cuts <style> and <script> elements and style and on* attributes; other attributes stay', () => {
  const { html } = prepareMarkup(REPORT);
  assert.doesNotMatch(html, /<style|<script|alert|style=|onclick|steal/i);
  assert.match(html, /<h1 class="title">Executive summary<\/h1>/);
  assert.match(html, /<p title="a > b">Runs: 12<\/p>/);
  assert.match(html, /<meta charset="utf-8">/);
});

test('prepareMarkup adds the xlink namespace a chart uses', () => {
  const { charts } = prepareMarkup('<svg width="10" height="10"><use xlink:href="#a"/></svg>');
  assert.match(decodeDataUri(charts[0]!.src), /xmlns:xlink="http:\/\/www\.w3\.org\/1999\/xlink"/);
});

test('sanitizeTree turns placeholders into the chart images; an unknown placeholder goes', () => {
  const chart: ChartImage = { src: 'data:image/svg+xml;base64,PHN2Zy8+', alt: 'Runs per day', width: 600, height: 200 };
  const body = el('body', {}, el('figure', {}, el('img', { [CHART_ATTR]: '0' })), el('img', { [CHART_ATTR]: '7' }));
  const stats = sanitizeTree(body, [chart], markup);
  assert.equal(stats.charts, 1);
  assert.deepEqual(tags(body), ['figure', 'img']);
  const img = body.kids[0]!.kids[0]!;
  assert.deepEqual(Object.fromEntries(img.attrs), { src: chart.src, alt: 'Runs per day', class: 'mt-report-chart', width: '600', height: '200' });
});

// ---- the DOM pass --------------------------------------------------------------------------------------

test('script, style, link, meta and iframe elements are removed with their content; the text stays', () => {
  const body = el('body', {}, el('h1', {}, 'Executive summary'), el('style', {}, 'h1{color:red}'), el('script', {}, 'alert(1)'),
    el('div', {}, el('link', { rel: 'stylesheet', href: 'x.css' }), el('p', {}, 'Runs: 12'), el('iframe', { src: 'https://x' }), el('meta', { charset: 'utf-8' })));
  const stats = sanitizeTree(body, [], markup);
  assert.deepEqual(tags(body), ['h1', 'div', 'p']);
  assert.equal(body.textContent, 'Executive summaryRuns: 12');
  assert.equal(stats.droppedElements, 5);
});

test('event handler and style attributes are removed; class and id stay', () => {
  const p = el('p', { class: 'insight', id: 'i1', style: 'color:red', onclick: 'x()', OnMouseOver: 'y()' }, 'text');
  sanitizeTree(el('body', {}, p), [], markup);
  assert.deepEqual(p.getAttributeNames().sort(), ['class', 'id']);
});

test('links keep in-page anchors and web links (opened outside); script URLs are removed', () => {
  const anchor = el('a', { href: '#costs' }, 'Costs');
  const web = el('a', { href: 'https://example.org/x' }, 'web');
  const js = el('a', { href: ' JavaScript:alert(1)' }, 'bad');
  sanitizeTree(el('body', {}, anchor, web, js), [], markup);
  assert.equal(anchor.getAttribute('href'), '#costs');
  assert.equal(anchor.getAttribute('target'), null);
  assert.equal(web.getAttribute('href'), 'https://example.org/x');
  assert.equal(web.getAttribute('target'), '_blank');
  assert.equal(web.getAttribute('rel'), 'noopener noreferrer');
  assert.equal(js.getAttribute('href'), null);
});

test('images keep data: image sources only (nothing is fetched from elsewhere)', () => {
  const png = el('img', { src: 'data:image/png;base64,iVBORw0KGgo=' });
  const remote = el('img', { src: 'https://tracker.example/p.gif' });
  const svgScript = el('img', { src: 'data:text/html;base64,PHNjcmlwdD4=' });
  sanitizeTree(el('body', {}, png, remote, svgScript), [], markup);
  assert.equal(png.getAttribute('src'), 'data:image/png;base64,iVBORw0KGgo=');
  assert.equal(remote.getAttribute('src'), null);
  assert.equal(svgScript.getAttribute('src'), null);
});

test('an svg still inline becomes an img whose data: URI holds its markup, named by its title', () => {
  const svg = el('svg', { viewBox: '0 0 640 240', width: '640', height: '240' }, el('title', {}, 'Runs per day'), el('rect', { width: '10', height: '20', style: 'fill:#08c' }));
  const figure = el('figure', {}, svg, el('figcaption', {}, 'Runs per day'));
  const body = el('body', {}, el('h2', {}, 'Activity'), el('div', {}, figure));
  const stats = sanitizeTree(body, [], markup);
  assert.equal(stats.charts, 1);
  const img = figure.kids[0]!;
  assert.equal(img.localName, 'img');
  assert.equal(img.getAttribute('alt'), 'Runs per day');
  assert.equal(img.getAttribute('class'), 'mt-report-chart');
  assert.equal(img.getAttribute('width'), '640');
  assert.equal(img.getAttribute('height'), '240');
  const src = img.getAttribute('src')!;
  assert.match(src, /^data:image\/svg\+xml;base64,/);
  // the chart's own styles live inside the image document, where the page's CSP does not reach
  const inner = decodeDataUri(src);
  assert.ok(inner.startsWith('<svg viewBox="0 0 640 240" xmlns="http://www.w3.org/2000/svg" width="640" height="240">'), inner);
  assert.ok(inner.endsWith('<title>Runs per day</title><rect width="10" height="20" style="fill:#08c"></rect></svg>'), inner);
  assert.equal(tags(body).includes('svg'), false);
});

test('an inline svg sized in percent is given its viewBox size, so the image does not fall back to 300×150', () => {
  const svg = el('svg', { viewBox: '0 0 800 300', width: '100%', 'aria-label': 'Cost per week' });
  const body = el('body', {}, svg);
  sanitizeTree(body, [], markup);
  const img = body.kids[0]!;
  assert.equal(img.getAttribute('width'), '800');
  assert.equal(img.getAttribute('height'), '300');
  assert.equal(img.getAttribute('alt'), 'Cost per week');
  const inner = decodeDataUri(img.getAttribute('src')!);
  assert.match(inner, / width="800"/);
  assert.match(inner, / height="300"/);
});

test('svgSize: pixels, then the viewBox, else unknown', () => {
  assert.deepEqual(svgSize('640', '200px', null), { width: 640, height: 200 });
  assert.deepEqual(svgSize('100%', null, '0 0 400 100'), { width: 400, height: 100 });
  assert.deepEqual(svgSize('200', null, '0,0,400,100'), { width: 200, height: 50 });
  assert.equal(svgSize('10em', '2em', null), null);
  assert.equal(svgSize(null, null, '0 0 0 0'), null);
});

test('isDroppedAttribute', () => {
  assert.equal(isDroppedAttribute('div', 'onload', ''), true);
  assert.equal(isDroppedAttribute('div', 'style', 'x'), true);
  assert.equal(isDroppedAttribute('td', 'colspan', '2'), false);
  assert.equal(isDroppedAttribute('img', 'srcset', 'a.png 1x'), true);
  assert.equal(isDroppedAttribute('a', 'href', 'mailto:a@b.c'), false);
  assert.equal(isDroppedAttribute('a', 'href', 'data:text/html,x'), true);
});

test('base64Utf8 encodes non-Latin-1 text (µs, dashes) that btoa alone refuses', () => {
  const text = '<svg><text>p95 12 µs – ≥ 3</text></svg>';
  assert.equal(Buffer.from(base64Utf8(text), 'base64').toString('utf8'), text);
  assert.equal(svgDataUri('<svg/>'), `data:image/svg+xml;base64,${Buffer.from('<svg/>').toString('base64')}`);
});

// ---- cards ---------------------------------------------------------------------------------------------------------

const info = (over: Partial<ReportInfo> = {}): ReportInfo => ({
  reportId: 'r1', type: 'executive', title: 'Executive summary: March 2026', from: Date.UTC(2026, 2, 1), to: Date.UTC(2026, 2, 31), timeZone: 'UTC',
  experimentId: null, createdAt: Date.UTC(2026, 2, 31, 9, 5), sizeBytes: 12_650, insights: 3, ...over,
});

test('formatRange names the last day held by the window, not the exclusive end', () => {
  assert.equal(formatRange(info()), '2026-03-01 – 2026-03-30');
  assert.equal(formatRange(info({ from: Date.UTC(2026, 2, 5), to: Date.UTC(2026, 2, 6) })), '2026-03-05');
  assert.equal(formatRange(info({ from: Date.UTC(2026, 2, 5, 10), to: Date.UTC(2026, 2, 7, 14, 30) })), '2026-03-05 – 2026-03-07');
});

test('formatDate uses the report time zone', () => {
  const t = Date.UTC(2026, 2, 1, 23, 30);
  assert.equal(formatDate(t, 'UTC'), '2026-03-01');
  assert.equal(formatDate(t, 'Asia/Tokyo'), '2026-03-02');
  assert.equal(formatDate(t, 'America/Los_Angeles'), '2026-03-01');
});

test('formatKb, formatInsights', () => {
  assert.equal(formatKb(12_650), '12.4 KB');
  assert.equal(formatKb(10), '0.1 KB');
  assert.equal(formatKb(0), '0 KB');
  assert.equal(formatInsights(0), 'no insights');
  assert.equal(formatInsights(1), '1 insight');
  assert.equal(formatInsights(4), '4 insights');
});

test('a card shows type, title, range, created, size and insights', () => {
  const t = cardText(info({ type: 'cost', title: 'Cost analysis' }));
  assert.equal(t.type, 'Cost analysis');
  assert.equal(t.title, 'Cost analysis');
  assert.equal(t.range, '2026-03-01 – 2026-03-30');
  assert.match(t.created, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  assert.equal(t.size, '12.4 KB');
  assert.equal(t.insights, '3 insights');
});

test('reports are listed newest first', () => {
  const s = sortReports([info({ reportId: 'a', createdAt: 1 }), info({ reportId: 'b', createdAt: 3 }), info({ reportId: 'c', createdAt: 2 })]);
  assert.deepEqual(s.map((r) => r.reportId), ['b', 'c', 'a']);
});

// ---- dates, params, file names -------------------------------------------------------------------------------------

test('listParams: an empty filter lists everything; dates cover whole days', () => {
  assert.deepEqual(listParams({ fromDate: '', toDate: '', type: '' }), {});
  assert.deepEqual(listParams({ fromDate: '2026-03-01', toDate: '2026-03-31', type: 'cost' }), {
    from: new Date(2026, 2, 1).getTime(), to: new Date(2026, 3, 1).getTime(), type: 'cost',
  });
  assert.deepEqual(listParams({ fromDate: '', toDate: '2026-03-31', type: '' }), { to: new Date(2026, 3, 1).getTime() });
});

const form = (over: Partial<GenerateForm> = {}): GenerateForm => ({ type: 'executive', preset: '30d', fromDate: '', toDate: '', experimentId: '', timeZone: 'Europe/Paris', ...over });

test('generateParams: a preset is sent as such, with the time zone and the chosen experiment', () => {
  assert.deepEqual(generateParams(form()), { params: { type: 'executive', preset: '30d', timeZone: 'Europe/Paris' } });
  assert.deepEqual(generateParams(form({ type: 'technical', preset: 'ytd', experimentId: '7', timeZone: null })), { params: { type: 'technical', preset: 'ytd', experimentId: '7' } });
});

test('generateParams: custom dates cover whole days', () => {
  const r = generateParams(form({ preset: 'custom', fromDate: '2026-03-01', toDate: '2026-03-31' }));
  assert.ok('params' in r);
  assert.equal(r.params.from, new Date(2026, 2, 1).getTime());
  assert.equal(r.params.to, new Date(2026, 3, 1).getTime());
  assert.equal(r.params.preset, undefined);
});

test('generateParams: a reversed range stays reversed for the backend to refuse, even one day apart', () => {
  for (const [fromDate, toDate] of [['2026-03-10', '2026-03-09'], ['2026-03-10', '2026-03-01']]) {
    const r = generateParams(form({ preset: 'custom', fromDate, toDate }));
    assert.ok('params' in r, `${fromDate}..${toDate} is sent`);
    assert.ok(r.params.from! > r.params.to!, `${fromDate}..${toDate}: from > to`);
  }
});

test('generateParams: a custom range needs both dates', () => {
  assert.deepEqual(generateParams(form({ preset: 'custom', fromDate: '2026-03-01' })), { error: 'Choose both dates of the custom range.' });
});

test('an export is named <type>-<first day>-<last day>.<ext>', () => {
  assert.equal(exportFileName(info(), 'html'), 'executive-2026-03-01-2026-03-30.html');
  assert.equal(exportFileName(info({ type: 'technical' }), 'md'), 'technical-2026-03-01-2026-03-30.md');
});
