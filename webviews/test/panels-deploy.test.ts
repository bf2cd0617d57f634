import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultValues, parseEnv, slugName, validateDeployForm, type DeployFormValues } from '../src/panels/deployForm/logic';
import { baseUrlOf, curlCommand, exampleFromSchema, operations, resolveRef, schemaRows, typeLabel } from '../src/panels/openapi/logic';

const form = (over: Partial<DeployFormValues> = {}): DeployFormValues => ({ ...defaultValues('Random Forest v2', 'abcdef0123456789'), ...over });

test('slugName and defaultValues: a Modal-safe name from the run name', () => {
  assert.equal(slugName('Random Forest v2'), 'random-forest-v2');
  assert.equal(slugName('  --Ünïcode__run!! '), 'n-code-run');
  assert.equal(slugName('***'), 'model');
  assert.equal(slugName('a'.repeat(80)).length, 63);
  const d = defaultValues(null, 'abcdef0123456789');
  assert.equal(d.name, 'run-abcdef01');
  assert.equal(d.target, 'local');
});

test('validateDeployForm: defaults are valid and give the config', () => {
  const r = validateDeployForm(form());
  assert.deepEqual(r.errors, {});
  assert.deepEqual(r.config, { appName: 'random-forest-v2', modelVersion: '1.0.0', cpu: 1, memoryMb: 512, minContainers: 0 });
});

test('validateDeployForm: inline messages per field', () => {
  const r = validateDeployForm(form({ name: 'Bad Name', version: '1 0', cpu: 'two', memoryMb: '100', minContainers: '1.5', env: 'A=1\nnot a pair\n1X=2\nA=3' }));
  assert.equal(r.config, undefined);
  assert.match(r.errors.name!, /lowercase/);
  assert.match(r.errors.version!, /letters, digits/);
  assert.equal(r.errors.cpu, 'CPU must be a number');
  assert.equal(r.errors.memoryMb, 'Memory must be between 128 and 262144');
  assert.equal(r.errors.minContainers, 'Min containers must be a whole number');
  assert.equal(r.errors.env, 'line 2: expected KEY=value; line 3: "1X" is not a valid variable name; line 4: A is set twice');
  assert.equal(validateDeployForm(form({ name: '' })).errors.name, 'A name is required');
  assert.equal(validateDeployForm(form({ cpu: '0' })).errors.cpu, 'CPU must be between 0.125 and 64');
});

test('validateDeployForm: GPU only on modal, known types with an optional count', () => {
  assert.equal(validateDeployForm(form({ gpu: 'T4' })).errors.gpu, 'GPUs are available on the Modal target only');
  assert.equal(validateDeployForm(form({ target: 'modal', gpu: 'a100:2', minContainers: '2' })).config?.gpu, 'A100:2');
  assert.match(validateDeployForm(form({ target: 'modal', gpu: 'GTX1080' })).errors.gpu!, /Unknown GPU/);
  assert.equal(validateDeployForm(form({ target: 'modal', gpu: 'H100:9' })).errors.gpu, 'GPU count must be between 1 and 8');
  assert.equal(validateDeployForm(form({ minContainers: '2' })).errors.minContainers, 'The local target runs one server');
  assert.equal(validateDeployForm(form({ target: 'modal', minContainers: '2' })).config?.minContainers, 2);
});

test('parseEnv: KEY=value lines, comments and blanks skipped, values may contain =', () => {
  assert.deepEqual(parseEnv('# c\n\nA=1\n B = x=y \nEMPTY='), { env: { A: '1', B: 'x=y', EMPTY: '' }, errors: [] });
  assert.deepEqual(validateDeployForm(form({ env: 'LOG_LEVEL=debug' })).config?.env, { LOG_LEVEL: 'debug' });
});

const spec = {
  openapi: '3.1.0',
  info: { title: 'random-forest', version: '1.0.0' },
  servers: [{ url: 'http://127.0.0.1:5000' }],
  paths: {
    '/predict': {
      post: {
        operationId: 'predict',
        summary: 'Predict',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/PredictRequest' }, example: { instances: [[5.1, 3.5, 1.4, 0.2]] } } } },
        responses: {
          '200': { description: 'Predictions', content: { 'application/json': { schema: { $ref: '#/components/schemas/PredictResponse' } } } },
          '400': { description: 'Schema error' },
        },
      },
    },
    '/health': { get: { summary: 'Health', responses: { '200': { description: 'OK' } } } },
  },
  components: {
    schemas: {
      PredictRequest: {
        type: 'object',
        required: ['instances'],
        properties: { instances: { type: 'array', description: 'Rows of features', minItems: 1, items: { type: 'array', items: { type: 'number' }, minItems: 4, maxItems: 4 } } },
      },
      PredictResponse: {
        type: 'object',
        properties: { predictions: { type: 'array', items: { type: ['integer', 'null'] } }, meta: { type: 'object', properties: { model: { type: 'string' } } } },
      },
    },
  },
};

test('operations: paths and methods with resolved schemas, examples and responses', () => {
  const ops = operations(spec);
  assert.deepEqual(ops.map((o) => `${o.method} ${o.path}`), ['POST /predict', 'GET /health']);
  const p = ops[0]!;
  assert.equal(p.summary, 'Predict');
  assert.deepEqual(p.requestExample, { instances: [[5.1, 3.5, 1.4, 0.2]] });
  assert.equal(p.requestSchema, spec.components.schemas.PredictRequest);
  assert.deepEqual(p.responses.map((r) => [r.status, r.description, !!r.schema]), [['200', 'Predictions', true], ['400', 'Schema error', false]]);
  assert.equal(ops[1]!.requestSchema, null);
  assert.equal(ops[1]!.requestExample, undefined);
  assert.deepEqual(operations({}), []);
});

test('schemaRows and typeLabel: nested fields with types, required flags and descriptions', () => {
  assert.deepEqual(schemaRows(spec, spec.components.schemas.PredictRequest), [
    { path: '', depth: 0, type: 'object', required: true, description: '' },
    { path: 'instances', depth: 1, type: 'array<array<number>>', required: true, description: 'Rows of features' },
  ]);
  const rows = schemaRows(spec, { $ref: '#/components/schemas/PredictResponse' });
  assert.deepEqual(rows.map((r) => [r.path, r.type, r.required]), [['', 'object', true], ['predictions', 'array<integer | null>', false], ['meta', 'object', false], ['meta.model', 'string', false]]);
  assert.equal(typeLabel(spec, { enum: ['a', 1] }), '"a" | 1');
  assert.equal(typeLabel(spec, { oneOf: [{ type: 'string' }, { type: 'number' }] }), 'string | number');
  assert.equal(typeLabel(spec, null), 'any');
  // a self-referencing schema terminates
  const cyc = { components: { schemas: { N: { type: 'object', properties: { next: { $ref: '#/components/schemas/N' } } } } } };
  assert.ok(schemaRows(cyc, { $ref: '#/components/schemas/N' }).length <= 3);
  assert.equal(resolveRef(cyc, { $ref: '#/components/schemas/Missing' })!.$ref, '#/components/schemas/Missing');
});

test('exampleFromSchema: synthesized when the spec has no example', () => {
  assert.deepEqual(exampleFromSchema(spec, spec.components.schemas.PredictRequest), { instances: [[0, 0, 0, 0]] });
  assert.deepEqual(exampleFromSchema(spec, { type: 'object', properties: { s: { type: 'string' }, b: { type: 'boolean' }, e: { enum: ['x'] }, d: { type: 'integer', default: 3 } } }), { s: 'string', b: false, e: 'x', d: 3 });
  const noExample = structuredClone(spec) as any;
  delete noExample.paths['/predict'].post.requestBody.content['application/json'].example;
  assert.deepEqual(operations(noExample)[0]!.requestExample, { instances: [[0, 0, 0, 0]] });
});

test('curlCommand and baseUrlOf', () => {
  assert.equal(curlCommand('http://127.0.0.1:5000/', { method: 'POST', path: '/predict' }, { a: "it's" }), `curl -X POST 'http://127.0.0.1:5000/predict' \\\n  -H 'Content-Type: application/json' \\\n  -d '{"a":"it'\\''s"}'`);
  assert.equal(curlCommand('http://h', { method: 'GET', path: '/health' }, undefined), `curl -X GET 'http://h/health'`);
  assert.equal(baseUrlOf(spec, null), 'http://127.0.0.1:5000');
  assert.equal(baseUrlOf(spec, 'https://x.modal.run'), 'https://x.modal.run');
  assert.equal(baseUrlOf({}, undefined), '');
});
