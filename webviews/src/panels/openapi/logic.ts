// Pure helpers of the OpenAPI viewer: the operations of a spec, $ref resolution, schemas flattened into rows,
// type labels, and example requests (the spec's example, or one synthesized from the schema).

export type Schema = Record<string, any>;
export type Spec = Record<string, any>;

export interface SchemaRow {
  /** Dotted path of the property ("" for the root, "instances[]" for array items). */
  path: string;
  depth: number;
  type: string;
  required: boolean;
  description: string;
}

export interface ResponseInfo {
  status: string;
  description: string;
  schema: Schema | null;
}

export interface Operation {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  description: string;
  requestSchema: Schema | null;
  requestExample: unknown;
  responses: ResponseInfo[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];
const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Follows `$ref: '#/...'` pointers within the spec (cycles and unknown refs give the schema itself). */
export function resolveRef(spec: Spec, schema: Schema | null | undefined, seen: Set<string> = new Set()): Schema | null {
  if (!isObj(schema)) return null;
  const ref = schema.$ref;
  if (typeof ref !== 'string' || !ref.startsWith('#/') || seen.has(ref)) return schema;
  seen.add(ref);
  let node: any = spec;
  for (const part of ref.slice(2).split('/')) {
    node = isObj(node) ? node[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return isObj(node) ? resolveRef(spec, node, seen) : schema;
}

function jsonContent(content: unknown): Record<string, any> | null {
  if (!isObj(content)) return null;
  return content['application/json'] ?? Object.values(content)[0] ?? null;
}

/** The media type's example: `example`, else the first of `examples` (its `value`). */
function mediaExample(media: Record<string, any> | null): unknown {
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  if (isObj(media.examples)) {
    const first = Object.values(media.examples)[0];
    if (isObj(first) && 'value' in first) return first.value;
  }
  return undefined;
}

/** Every operation of the spec, in path order then method order. */
export function operations(spec: Spec): Operation[] {
  const out: Operation[] = [];
  const paths = isObj(spec?.paths) ? spec.paths : {};
  for (const path of Object.keys(paths)) {
    const item = paths[path];
    if (!isObj(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      const media = jsonContent(resolveRef(spec, op.requestBody)?.content);
      const requestSchema = media ? resolveRef(spec, media.schema) : null;
      let requestExample = mediaExample(media);
      if (requestExample === undefined && requestSchema) requestExample = exampleFromSchema(spec, requestSchema);
      const responses: ResponseInfo[] = [];
      for (const [status, r] of Object.entries(isObj(op.responses) ? op.responses : {})) {
        const resp = resolveRef(spec, r as Schema);
        const m = jsonContent(resp?.content);
        responses.push({ status, description: String(resp?.description ?? ''), schema: m ? resolveRef(spec, m.schema) : null });
      }
      out.push({
        method: method.toUpperCase(),
        path,
        operationId: String(op.operationId ?? ''),
        summary: String(op.summary ?? ''),
        description: String(op.description ?? ''),
        requestSchema,
        requestExample,
        responses,
      });
    }
  }
  return out;
}

/** A short type label: "number", "array<number>", "array<array<number>>", "string | null", "object", enum values. */
export function typeLabel(spec: Spec, s: Schema | null | undefined): string {
  const schema = resolveRef(spec, s);
  if (!schema) return 'any';
  if (Array.isArray(schema.enum)) return schema.enum.map((v: unknown) => JSON.stringify(v)).join(' | ');
  for (const k of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[k])) return schema[k].map((x: Schema) => typeLabel(spec, x)).join(' | ');
  }
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : schema.properties ? ['object'] : schema.items ? ['array'] : [];
  if (types.length === 0) return 'any';
  return types.map((t) => (t === 'array' ? `array<${typeLabel(spec, schema.items)}>` : String(t))).join(' | ');
}

/** The schema flattened to rows (object properties and array items, nested), for a table. */
export function schemaRows(spec: Spec, s: Schema | null | undefined, maxDepth = 6): SchemaRow[] {
  const rows: SchemaRow[] = [];
  const walk = (schema: Schema | null, path: string, depth: number, required: boolean, seen: Set<Schema>) => {
    const r = resolveRef(spec, schema);
    if (!r || depth > maxDepth) return;
    rows.push({ path, depth, type: typeLabel(spec, r), required, description: String(r.description ?? r.title ?? '') });
    if (seen.has(r)) return;
    const next = new Set(seen).add(r);
    if (isObj(r.properties)) {
      const req = new Set<string>(Array.isArray(r.required) ? r.required : []);
      for (const [k, v] of Object.entries(r.properties)) walk(v as Schema, path ? `${path}.${k}` : k, depth + 1, req.has(k), next);
    } else if (isObj(r.items)) {
      const item = resolveRef(spec, r.items);
      // arrays of scalars (and arrays of arrays of scalars) are described by their label already
      let inner = item;
      for (let i = 0; inner && isObj(inner.items) && i < 8; i++) inner = resolveRef(spec, inner.items);
      if (item && inner && isObj(inner.properties)) walk(item, `${path}[]`, depth + 1, true, next);
    }
  };
  walk(s ?? null, '', 0, true, new Set());
  return rows;
}

/** An example value synthesized from a schema (examples/defaults first, then by type). */
export function exampleFromSchema(spec: Spec, s: Schema | null | undefined, depth = 0): unknown {
  const schema = resolveRef(spec, s);
  if (!schema || depth > 8) return null;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  for (const k of ['oneOf', 'anyOf'] as const) if (Array.isArray(schema[k]) && schema[k].length > 0) return exampleFromSchema(spec, schema[k][0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : undefined);
  switch (type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(isObj(schema.properties) ? schema.properties : {})) o[k] = exampleFromSchema(spec, v as Schema, depth + 1);
      return o;
    }
    case 'array': {
      const n = typeof schema.minItems === 'number' && schema.minItems > 0 ? Math.min(schema.minItems, 4) : 1;
      return Array.from({ length: n }, () => exampleFromSchema(spec, schema.items, depth + 1));
    }
    case 'integer':
      return typeof schema.minimum === 'number' ? Math.ceil(schema.minimum) : 0;
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 0.0;
    case 'boolean':
      return false;
    case 'string':
      return schema.format === 'date-time' ? '2024-01-01T00:00:00Z' : 'string';
    default:
      return null;
  }
}

/** A curl command for an operation (body as JSON when given). */
export function curlCommand(baseUrl: string, op: Pick<Operation, 'method' | 'path'>, body?: unknown): string {
  const url = baseUrl.replace(/\/+$/, '') + op.path;
  const parts = [`curl -X ${op.method} '${url}'`];
  if (body !== undefined && op.method !== 'GET') parts.push(`-H 'Content-Type: application/json'`, `-d '${JSON.stringify(body).replace(/'/g, `'\\''`)}'`);
  return parts.join(' \\\n  ');
}

/** The endpoint base URL: the deployment's URL, else the spec's first server. */
export function baseUrlOf(spec: Spec, endpointUrl: string | null | undefined): string {
  if (endpointUrl) return endpointUrl;
  const s = Array.isArray(spec?.servers) ? spec.servers[0]?.url : undefined;
  return typeof s === 'string' ? s : '';
}
