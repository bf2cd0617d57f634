// The report preview: reports/content (html) is a complete, self-contained HTML document. Its markup is prepared
// (charts taken out as images, inline styles and scripts cut: see sanitize.ts), parsed with DOMParser (an inert
// document: nothing loads or runs there), its <body> sanitised and moved into `.mt-report`.
import { prepareMarkup, sanitizeTree, type ReportNode, type SanitizeStats } from './sanitize';

/** The report's body content, sanitised, as nodes of this document. */
export function reportContent(html: string): { nodes: Node[]; stats: SanitizeStats } {
  const prepared = prepareMarkup(html);
  const doc = new DOMParser().parseFromString(prepared.html, 'text/html');
  const serializer = new XMLSerializer();
  const stats = sanitizeTree(doc.body as unknown as ReportNode, prepared.charts, (svg) => serializer.serializeToString(svg as unknown as Node));
  const nodes = Array.from(doc.body.childNodes).map((n) => document.adoptNode(n));
  return { nodes, stats };
}
