// Turns a report's HTML document (reports/content, format html) into content the panel can show under the webview
// CSP (style-src 'self', script-src nonce, img-src 'self' data: blob:): the report's own <style> and any script are
// dropped (the panel's reports.css styles `.mt-report`), as are on* and style attributes and URLs that would run
// code or fetch from elsewhere; every inline <svg> chart becomes an <img src="data:image/svg+xml;base64,…">, since
// an SVG image is its own document (its styles apply inside it, no script runs) and img-src allows data:.
//
// Two passes. The markup pass (prepareMarkup) runs on the text before DOMParser sees it: Chromium checks the page's
// CSP while parsing, even in an inert DOMParser document, and logs a violation for every <style>, style="…" and on*
// it meets; so charts are taken out whole (their styles belong to the image) and those constructs are cut from the
// rest. It only keeps the console quiet: the DOM pass (sanitizeTree) is what makes the content safe, whatever the
// markup pass missed. sanitizeTree uses a small part of the DOM (ReportNode) so the unit tests run it on a tiny fake.

/** Elements removed with their content. */
const DROPPED = new Set([
  'script', 'style', 'link', 'meta', 'base', 'title', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet',
  'noscript', 'template', 'form', 'input', 'button', 'select', 'textarea', 'portal',
]);

/** Attributes that hold a URL. */
const URL_ATTRS = new Set(['href', 'src', 'xlink:href', 'action', 'formaction', 'poster', 'background', 'ping', 'srcset', 'cite', 'longdesc']);

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';

/** The attribute of the placeholder <img> that stands where a chart was taken out of the markup. */
export const CHART_ATTR = 'data-mt-chart';

/** A chart taken out of the markup, ready to be an <img>. */
export interface ChartImage {
  src: string;
  alt: string;
  width: number | null;
  height: number | null;
}

// ---- markup pass ----------------------------------------------------------------------------------------------------

// A start tag with its attributes (quoted values may hold '>'), and one attribute in it.
const START_TAG = /<([a-zA-Z][a-zA-Z0-9:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/g;
const ATTRIBUTE = /\s+([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g;

/** The attributes of a start tag's attribute text, in order (names lower-cased; values unquoted, not unescaped). */
function parseAttributes(text: string): { name: string; value: string | null; raw: string }[] {
  const out: { name: string; value: string | null; raw: string }[] = [];
  for (const m of text.matchAll(ATTRIBUTE)) {
    const v = m[2];
    out.push({ name: m[1]!.toLowerCase(), value: v === undefined ? null : /^["']/.test(v) ? v.slice(1, -1) : v, raw: m[0] });
  }
  return out;
}

/** An SVG's markup as a standalone image document: the namespaces it needs, and a pixel size when it had none. */
function chartImage(svg: string): ChartImage {
  const open = /^<svg\b((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/i.exec(svg);
  const attrs = parseAttributes(open?.[1] ?? '');
  const get = (n: string) => attrs.find((a) => a.name === n)?.value ?? null;
  const size = svgSize(get('width'), get('height'), get('viewbox'));
  let tag = `<svg${attrs.filter((a) => !(size && (a.name === 'width' || a.name === 'height'))).map((a) => a.raw).join('')}`;
  if (!attrs.some((a) => a.name === 'xmlns')) tag += ` xmlns="${SVG_NS}"`;
  if (/\bxlink:/.test(svg) && !attrs.some((a) => a.name === 'xmlns:xlink')) tag += ` xmlns:xlink="${XLINK_NS}"`;
  if (size) tag += ` width="${size.width}" height="${size.height}"`;
  const markup = open ? tag + (open[2] ? '/>' : '>') + svg.slice(open[0].length) : svg;
  const title = /<title\b[^>]*>([^<]*)<\/title\s*>/i.exec(svg)?.[1]?.trim();
  return {
    src: svgDataUri(markup),
    alt: unescapeText(get('aria-label')?.trim() || title || '') || 'chart',
    width: size ? Math.round(size.width) : null,
    height: size ? Math.round(size.height) : null,
  };
}

function unescapeText(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/**
 * Takes every outermost <svg>…</svg> out of the markup (→ `charts`, each replaced by `<img data-mt-chart="i">`),
 * removes <style> and <script> elements, and style and on* attributes from every start tag.
 */
export function prepareMarkup(html: string): { html: string; charts: ChartImage[] } {
  const charts: ChartImage[] = [];
  let out = '';
  let depth = 0;
  let start = 0;
  let copied = 0;
  for (const m of html.matchAll(/<svg\b|<\/svg\s*>/gi)) {
    const at = m.index!;
    if (m[0][1] !== '/') {
      if (depth++ === 0) start = at;
    } else if (depth > 0 && --depth === 0) {
      out += html.slice(copied, start) + `<img ${CHART_ATTR}="${charts.length}">`;
      charts.push(chartImage(html.slice(start, at + m[0].length)));
      copied = at + m[0].length;
    }
  }
  out += html.slice(copied);
  out = out.replace(/<(style|script)\b[\s\S]*?<\/\1\s*>/gi, '');
  out = out.replace(START_TAG, (tag: string, name: string, attrText: string, selfClose: string) => {
    const attrs = parseAttributes(attrText);
    if (!attrs.some((a) => a.name === 'style' || a.name.startsWith('on'))) return tag;
    const kept = attrs.filter((a) => a.name !== 'style' && !a.name.startsWith('on')).map((a) => a.raw).join('');
    return `<${name}${kept}${selfClose ? ' /' : ''}>`;
  });
  return { html: out, charts };
}

// ---- DOM pass -------------------------------------------------------------------------------------------------------

/** The DOM the sanitiser touches. */
export interface ReportNode {
  readonly localName: string;
  readonly namespaceURI: string | null;
  readonly children: ArrayLike<ReportNode>;
  readonly textContent: string | null;
  readonly ownerDocument: { createElement(tag: string): ReportNode } | null;
  getAttributeNames(): string[];
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  remove(): void;
  replaceWith(node: ReportNode): void;
}

/** Whether a URL attribute may stay: in-page anchors and web/mail links; images only as data: images. */
export function isSafeUrl(tag: string, attr: string, value: string): boolean {
  const v = value.trim().replace(/[\u0000-\u0020]+/g, '').toLowerCase();
  if (attr === 'src' && tag === 'img') return /^data:image\/(png|jpeg|gif|webp|svg\+xml)[;,]/.test(v);
  if (attr === 'href' && tag === 'a') return v.startsWith('#') || /^(https?|mailto):/.test(v);
  return false;
}

/** Whether an attribute is removed: event handlers, inline styles (CSP), unsafe URLs. */
export function isDroppedAttribute(tag: string, name: string, value: string): boolean {
  const n = name.toLowerCase();
  if (n.startsWith('on') || n === 'style') return true;
  if (URL_ATTRS.has(n)) return !isSafeUrl(tag, n, value);
  return false;
}

/** UTF-8 text → base64 (btoa only takes Latin-1). */
export function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export const svgDataUri = (svgMarkup: string): string => `data:image/svg+xml;base64,${base64Utf8(svgMarkup)}`;

/** A length attribute in CSS pixels ("640", "640px", "640.5"); null for percentages, ems and junk. */
function pixels(v: string | null): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$/.exec(v ?? '');
  return m ? Number(m[1]) : null;
}

/**
 * The size an SVG draws at: its width/height in pixels, else its viewBox's; null when neither says. An SVG image
 * without a pixel size falls back to 300×150, so charts get one.
 */
export function svgSize(width: string | null, height: string | null, viewBox: string | null): { width: number; height: number } | null {
  const w = pixels(width), hgt = pixels(height);
  if (w !== null && hgt !== null && w > 0 && hgt > 0) return { width: w, height: hgt };
  const vb = (viewBox ?? '').trim().split(/[\s,]+/).map(Number);
  if (vb.length === 4 && vb.every(Number.isFinite) && vb[2]! > 0 && vb[3]! > 0) {
    if (w !== null && w > 0) return { width: w, height: (w * vb[3]!) / vb[2]! };
    return { width: vb[2]!, height: vb[3]! };
  }
  return null;
}

function chartImg(doc: { createElement(tag: string): ReportNode }, c: ChartImage): ReportNode {
  const img = doc.createElement('img');
  img.setAttribute('src', c.src);
  img.setAttribute('alt', c.alt);
  img.setAttribute('class', 'mt-report-chart');
  if (c.width !== null && c.height !== null) {
    img.setAttribute('width', String(c.width));
    img.setAttribute('height', String(c.height));
  }
  return img;
}

/** What sanitizeTree did (for the panel's data attributes and the tests). */
export interface SanitizeStats {
  charts: number;
  droppedElements: number;
  droppedAttributes: number;
}

/**
 * Sanitises the children of `root` (the report's <body>) in place: the placeholders of prepareMarkup become the
 * `charts` images; an <svg> still inline becomes an image too (`serialize` gives its markup with its namespace:
 * XMLSerializer in the panel); dropped elements and attributes go.
 */
export function sanitizeTree(root: ReportNode, charts: readonly ChartImage[], serialize: (svg: ReportNode) => string): SanitizeStats {
  const stats: SanitizeStats = { charts: 0, droppedElements: 0, droppedAttributes: 0 };
  const replace = (el: ReportNode, c: ChartImage | undefined): void => {
    if (c && el.ownerDocument) {
      el.replaceWith(chartImg(el.ownerDocument, c));
      stats.charts++;
    } else {
      el.remove();
      stats.droppedElements++;
    }
  };
  const visit = (el: ReportNode): void => {
    const tag = el.localName.toLowerCase();
    if (tag === 'img' && el.getAttribute(CHART_ATTR) !== null) {
      const i = Number(el.getAttribute(CHART_ATTR));
      return replace(el, Number.isInteger(i) ? charts[i] : undefined);
    }
    if (tag === 'svg' && (el.namespaceURI === SVG_NS || el.namespaceURI === null)) {
      return replace(el, chartImage(serialize(el)));
    }
    if (DROPPED.has(tag)) {
      el.remove();
      stats.droppedElements++;
      return;
    }
    for (const name of el.getAttributeNames()) {
      if (isDroppedAttribute(tag, name, el.getAttribute(name) ?? '')) {
        el.removeAttribute(name);
        stats.droppedAttributes++;
      }
    }
    const href = el.getAttribute('href');
    if (tag === 'a' && href && !href.trim().startsWith('#')) {
      el.setAttribute('target', '_blank');
      el.setAttribute('rel', 'noopener noreferrer');
    }
    for (const c of Array.from(el.children)) visit(c);
  };
  for (const c of Array.from(root.children)) visit(c);
  return stats;
}
