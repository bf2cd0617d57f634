// Pure, line-based reading of Python source for the code lenses and metric hovers: where to put `▶ Track`,
// and which metric name a position points at. No `vscode` import; unit-tested with node's test runner.
// It is deliberately shallow (a per-line lexer, bracket matching across a bounded number of lines): it only
// decides where UI appears, never what a metric's value is.

export interface StringToken {
  /** Offset of the first character of the token (its prefix, or the opening quote). */
  start: number;
  /** Offset just past the closing quote (or the end of line for an unterminated string). */
  end: number;
  /** Offset of the first character inside the quotes. */
  bodyStart: number;
  /** Offset just past the last character inside the quotes. */
  bodyEnd: number;
  prefix: string;
  quote: string;
}

export interface LineTokens {
  strings: StringToken[];
  /** Offset of a `#` comment, or -1. */
  comment: number;
}

/** Finds string literals and the comment of one line. Triple-quoted strings spanning lines are cut at the line end. */
export function tokenizeLine(text: string): LineTokens {
  const strings: StringToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '#') return { strings, comment: i };
    if (c === '"' || c === "'") {
      // a prefix (r, b, f, u, rb, fr...) is at most two letters right before the quote, not an identifier's tail
      let k = i - 1;
      while (k >= 0 && i - 1 - k < 2 && /[rRbBfFuU]/.test(text[k])) k--;
      const start = k >= 0 && /\w/.test(text[k]) ? i : k + 1;
      const triple = text.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      const bodyStart = i + quote.length;
      let j = bodyStart;
      let closed = -1;
      while (j < text.length) {
        if (text[j] === '\\') {
          j += 2;
          continue;
        }
        if (text.startsWith(quote, j)) {
          closed = j;
          break;
        }
        j++;
      }
      const bodyEnd = closed >= 0 ? closed : text.length;
      const end = closed >= 0 ? closed + quote.length : text.length;
      strings.push({ start, end, bodyStart, bodyEnd, prefix: text.slice(start, i).toLowerCase(), quote });
      i = end;
      continue;
    }
    i++;
  }
  return { strings, comment: -1 };
}

/** The line with string literals reduced to `"` followed by spaces and the comment removed; offsets are kept. */
export function maskLine(text: string): string {
  const t = tokenizeLine(text);
  const chars = text.split('');
  for (const s of t.strings) {
    for (let k = s.start; k < s.end; k++) chars[k] = k === s.start ? '"' : ' ';
  }
  if (t.comment >= 0) for (let k = t.comment; k < chars.length; k++) chars[k] = ' ';
  return chars.join('');
}

const MAX_SCAN_LINES = 200;

interface Pos {
  line: number;
  col: number;
}

/** The innermost unclosed bracket before (line, col), scanning backwards over at most MAX_SCAN_LINES lines. */
function enclosingOpener(masked: (l: number) => string, from: Pos): (Pos & { ch: string }) | undefined {
  let depth = 0;
  for (let l = from.line; l >= 0 && from.line - l <= MAX_SCAN_LINES; l--) {
    const text = masked(l);
    for (let c = (l === from.line ? from.col : text.length) - 1; c >= 0; c--) {
      const ch = text[c];
      if (ch === ')' || ch === ']' || ch === '}') depth++;
      else if (ch === '(' || ch === '[' || ch === '{') {
        if (depth === 0) return { line: l, col: c, ch };
        depth--;
      }
    }
  }
  return undefined;
}

/** The code before (line, col), joined with earlier lines while it is blank (at most a few lines back). */
function textBefore(masked: (l: number) => string, at: Pos): string {
  let s = masked(at.line).slice(0, at.col);
  for (let l = at.line - 1; l >= 0 && s.trim() === '' && at.line - l <= 5; l--) s = masked(l) + ' ' + s;
  return s;
}

const CALLEE_RE = /([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)\s*$/;

/** The dotted callee before an opening parenthesis, e.g. ["mlflow", "log_metric"]. */
function calleeBefore(before: string): string[] | undefined {
  const m = CALLEE_RE.exec(before);
  if (!m) return undefined;
  return m[1].split('.').map((p) => p.trim());
}

type CallKind = 'log_metric' | 'log_metrics' | 'log';

function metricCallKind(callee: string[] | undefined): CallKind | undefined {
  if (!callee || callee.length === 0) return undefined;
  const name = callee[callee.length - 1];
  if (name === 'log_metric') return 'log_metric';
  if (name === 'log_metrics') return 'log_metrics';
  if (name === 'log') {
    // `mltrack.log(...)` or a bare `log(...)` imported from mltrack; not math.log, logging.log, np.log...
    if (callee.length === 1 || (callee.length === 2 && callee[0] === 'mltrack')) return 'log';
  }
  return undefined;
}

const DEF_RE = /^(\s*)(?:async\s+)?def\s+([A-Za-z_]\w*)/;
const TRACK_DECORATOR_RE = /^\s*@\s*(?:mltrack\s*\.\s*)?track\b\s*(?:\(.*)?$/;

function indentOf(s: string): number {
  return /^\s*/.exec(s)![0].replace(/\t/g, '        ').length;
}

/** True when the code at `line` sits inside a function decorated with `@track` / `@mltrack.track`. */
export function insideTrackFunction(lines: readonly string[], line: number): boolean {
  let indent = indentOf(lines[line] ?? '');
  for (let l = line; l >= 0 && line - l <= 2000; l--) {
    const text = lines[l];
    if (text.trim() === '' || text.trim().startsWith('#')) continue;
    const ind = indentOf(text);
    if (ind >= indent && l !== line) continue;
    const m = DEF_RE.exec(text);
    if (m && ind < indent) {
      // innermost enclosing def: look at its decorators
      for (let d = l - 1; d >= 0; d--) {
        const dt = lines[d];
        if (dt.trim() === '' || dt.trim().startsWith('#')) continue;
        if (!dt.trim().startsWith('@') && !/^\s*[)\],]/.test(dt)) {
          // a decorator's continuation line looks like arguments; anything else ends the decorator list
          if (indentOf(dt) <= ind) break;
        }
        if (TRACK_DECORATOR_RE.test(dt) && indentOf(dt) === ind) return true;
      }
      return false;
    }
    if (ind < indent) indent = ind; // leaving a block (if/for/with...) inside the function
  }
  return false;
}

export type MetricRefKind = 'log_metric' | 'log_metrics' | 'log' | 'return' | 'print';

export interface MetricRef {
  name: string;
  line: number;
  /** Offsets of the name itself in the line (end exclusive). */
  start: number;
  end: number;
  kind: MetricRefKind;
}

const NAME_IN_TEXT_RE = /(?<![\w./-])([A-Za-z_][\w./-]*?)[ \t]*([=:])(?!=)/g;

/**
 * Metric names written in printed text as `name=value` / `name: value` (what MLTrack's zero-config capture reads),
 * including f-string `{name=}`. Returns [name, start, end] with offsets relative to `body`.
 */
export function printedNames(body: string, isF: boolean): Array<[string, number, number]> {
  const out: Array<[string, number, number]> = [];
  // split the body into literal text and (for f-strings) {expression} parts
  const literal = body.split('');
  if (isF) {
    let i = 0;
    while (i < body.length) {
      if (body.startsWith('{{', i) || body.startsWith('}}', i)) {
        literal[i] = literal[i + 1] = ' ';
        i += 2;
        continue;
      }
      if (body[i] === '{') {
        let depth = 1;
        let j = i + 1;
        while (j < body.length && depth > 0) {
          if (body[j] === '{') depth++;
          else if (body[j] === '}') depth--;
          j++;
        }
        const expr = body.slice(i + 1, j - 1);
        const m = /^(\s*)([A-Za-z_]\w*)\s*=(?!=)/.exec(expr);
        if (m) out.push([m[2], i + 1 + m[1].length, i + 1 + m[1].length + m[2].length]);
        for (let k = i; k < j; k++) literal[k] = ' ';
        i = j;
        continue;
      }
      i++;
    }
  } else {
    // %-format placeholders are not names
    body.replace(/%[-#0 +]*\d*(?:\.\d+)?[sdifeEgGr%]/g, (m, off: number) => {
      for (let k = off; k < off + m.length; k++) literal[k] = ' ';
      return m;
    });
  }
  const lit = literal.join('');
  NAME_IN_TEXT_RE.lastIndex = 0;
  for (let m = NAME_IN_TEXT_RE.exec(lit); m; m = NAME_IN_TEXT_RE.exec(lit)) {
    const name = m[1].replace(/[./-]+$/, '');
    if (name.length === 0) continue;
    // "http://x" and similar: a colon must be followed by a space, a value, a placeholder or the end
    const after = lit.slice(m.index + m[0].length);
    if (m[2] === ':' && after.startsWith('/')) continue;
    out.push([name, m.index, m.index + name.length]);
  }
  return out.sort((a, b) => a[1] - b[1]);
}

const KEY_RE = /^[\w./\- :@#[\]()]+$/;

/**
 * The metric name at (line, character) of a Python document, when the position is on:
 * - the key string of `log_metric("val_loss", ...)` (any qualifier: `mlflow.`, `mltrack.`, `self.`...), or `key="..."`;
 * - a key of the dict in `log_metrics({...})`, `mltrack.log({...})` / `log({...})` (also first-argument strings of `mltrack.log`);
 * - a key of a dict returned (`return {...}`) from a `@track` / `@mltrack.track` function;
 * - a `name=` / `name:` inside a string printed with `print(...)` or in an f-string (`{name=}` too).
 */
export function metricAt(lines: readonly string[], line: number, character: number): MetricRef | undefined {
  const text = lines[line];
  if (text === undefined) return undefined;
  const tokens = tokenizeLine(text);
  if (tokens.comment >= 0 && character >= tokens.comment) return undefined;
  const tok = tokens.strings.find((s) => character >= s.bodyStart && character <= s.bodyEnd && character < s.end + 0);
  if (!tok) return undefined;
  const body = text.slice(tok.bodyStart, tok.bodyEnd);
  const isF = tok.prefix.includes('f');
  const cache = new Map<number, string>();
  const masked = (l: number): string => {
    let m = cache.get(l);
    if (m === undefined) {
      m = maskLine(lines[l] ?? '');
      cache.set(l, m);
    }
    return m;
  };

  if (!isF && tok.quote.length === 1 && body.length > 0 && KEY_RE.test(body)) {
    const ref = (kind: MetricRefKind): MetricRef => ({ name: body, line, start: tok.bodyStart, end: tok.bodyEnd, kind });
    const after = masked(line).slice(tok.end).trimStart();
    const opener = enclosingOpener(masked, { line, col: tok.start });
    if (opener) {
      const between = textBeforeFrom(masked, opener, { line, col: tok.start });
      if (after.startsWith(':') && opener.ch === '{') {
        const dictOwner = dictContext(masked, opener, lines);
        if (dictOwner) return ref(dictOwner);
      } else if (opener.ch === '(' && /^\s*(?:key\s*=\s*)?$/.test(between) && /^[,)]/.test(after)) {
        const kind = metricCallKind(calleeBefore(textBefore(masked, opener)));
        if (kind === 'log_metric' || kind === 'log') return ref(kind);
      } else if (opener.ch === '(' && /,\s*(?:key\s*=\s*)$/.test(between)) {
        const kind = metricCallKind(calleeBefore(textBefore(masked, opener)));
        if (kind === 'log_metric') return ref(kind);
      }
    }
  }

  const isPrint = /\bprint\s*\(/.test(masked(line)) || enclosingIsPrint(masked, { line, col: tok.start });
  if (isF || isPrint) {
    for (const [name, s, e] of printedNames(body, isF)) {
      if (character >= tok.bodyStart + s && character <= tok.bodyStart + e) {
        return { name, line, start: tok.bodyStart + s, end: tok.bodyStart + e, kind: 'print' };
      }
    }
  }
  return undefined;
}

function enclosingIsPrint(masked: (l: number) => string, at: Pos): boolean {
  const opener = enclosingOpener(masked, at);
  if (!opener || opener.ch !== '(') return false;
  const callee = calleeBefore(textBefore(masked, opener));
  return !!callee && callee[callee.length - 1] === 'print';
}

/** Masked code between an opener and a position (may span lines). */
function textBeforeFrom(masked: (l: number) => string, from: Pos, to: Pos): string {
  if (from.line === to.line) return masked(from.line).slice(from.col + 1, to.col);
  let s = masked(from.line).slice(from.col + 1);
  for (let l = from.line + 1; l < to.line; l++) s += '\n' + masked(l);
  return s + '\n' + masked(to.line).slice(0, to.col);
}

/** What a dict literal opened at `opener` is passed to: a metric-logging call, or `return` in a @track function. */
function dictContext(masked: (l: number) => string, opener: Pos, lines: readonly string[]): MetricRefKind | undefined {
  const before = textBefore(masked, opener);
  if (/(?:^|[^\w.])return\s*$/.test(before)) {
    // the `return` line: find it to locate the enclosing function
    let l = opener.line;
    while (l > 0 && !/\breturn\b/.test(masked(l).slice(0, l === opener.line ? opener.col : undefined))) l--;
    return insideTrackFunction(lines, l) ? 'return' : undefined;
  }
  const paren = enclosingOpener(masked, opener);
  if (!paren || paren.ch !== '(') return undefined;
  const between = textBeforeFrom(masked, paren, opener);
  if (!/^\s*(?:metrics\s*=\s*|[A-Za-z_]\w*\s*=\s*)?$/.test(between)) return undefined;
  const kind = metricCallKind(calleeBefore(textBefore(masked, paren)));
  return kind === 'log_metrics' || kind === 'log' ? kind : undefined;
}

export interface TrackTarget {
  /** The line the lens sits on: the `if __name__` line, or the first decorator line of the function. */
  line: number;
  kind: 'main' | 'function';
  /** The decorated function's name. */
  functionName?: string;
}

const MAIN_RE = /^if\s+(?:__name__\s*==\s*(['"])__main__\1|(['"])__main__\2\s*==\s*__name__)\s*:/;

/** Where `▶ Track` lenses go: above `if __name__ == "__main__":` and above each `@track`-decorated function. */
export function trackTargets(lines: readonly string[]): TrackTarget[] {
  const out: TrackTarget[] = [];
  for (let l = 0; l < lines.length; l++) {
    const text = lines[l];
    if (MAIN_RE.test(text)) {
      out.push({ line: l, kind: 'main' });
      continue;
    }
    if (TRACK_DECORATOR_RE.test(maskLine(text).replace(/\s+$/, ''))) {
      // find the first decorator line of this decorator block, and the def below it
      let first = l;
      while (first > 0 && lines[first - 1].trim().startsWith('@')) first--;
      let fn: string | undefined;
      for (let d = l + 1; d < lines.length && d - l <= 20; d++) {
        const m = DEF_RE.exec(lines[d]);
        if (m) {
          fn = m[2];
          break;
        }
      }
      if (fn !== undefined && !out.some((t) => t.line === first)) out.push({ line: first, kind: 'function', functionName: fn });
    }
  }
  return out;
}
