import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as stub from '../support/vscode';
import { MAX_SAVE_BYTES, parseSaveFile, safeFileName, saveFilters, saveFromPanel } from '../../src/panels/saveFile';

const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');

function reset(): void {
  stub.saveDialogs.length = 0;
  stub.written.length = 0;
  stub.shown.length = 0;
  stub.statusMessages.length = 0;
  stub.saveDialogAnswer.uri = undefined;
  stub.writeFailure.error = undefined;
}

test('safeFileName keeps a bare, harmless name', () => {
  assert.equal(safeFileName('loss.csv'), 'loss.csv');
  assert.equal(safeFileName('../../etc/passwd'), 'passwd');
  assert.equal(safeFileName('C:\\Users\\x\\a.png'), 'a.png');
  assert.equal(safeFileName('a:b*c?.svg'), 'a_b_c_.svg');
  assert.equal(safeFileName('.hidden'), 'hidden');
  assert.equal(safeFileName(''), 'export');
  assert.equal(safeFileName(undefined), 'export');
  assert.equal(safeFileName('x'.repeat(500)).length, 200);
});

test('parseSaveFile decodes base64 (text and binary) and refuses what is not', () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255, 10]);
  const r = parseSaveFile({ type: 'saveFile', filename: 'loss.png', mime: 'image/png', base64: b64(png) });
  assert.ok(r);
  assert.deepEqual([...r.bytes], [...png]);
  assert.equal(r.mime, 'image/png');
  assert.equal(Buffer.from(parseSaveFile({ filename: 'a.csv', base64: b64('run_id,step\n') })!.bytes).toString(), 'run_id,step\n');
  assert.equal(parseSaveFile({ filename: 'a.csv', base64: b64('x') })!.mime, 'application/octet-stream');
  assert.equal(parseSaveFile({ filename: 'a.csv', base64: '' })!.bytes.length, 0);
  assert.equal(parseSaveFile({ filename: 'a.csv' }), undefined);
  assert.equal(parseSaveFile({ filename: 'a.csv', base64: 'not base64!' }), undefined);
  assert.equal(parseSaveFile({ filename: 'a.csv', base64: 'A'.repeat(Math.ceil((MAX_SAVE_BYTES * 4) / 3) + 8) }), undefined);
});

test('saveFilters offer the file type first, then all files', () => {
  assert.deepEqual(saveFilters('loss.csv', 'text/csv'), { CSV: ['csv'], 'All files': ['*'] });
  assert.deepEqual(Object.keys(saveFilters('chart.svg', 'image/svg+xml')), ['SVG image', 'All files']);
  assert.deepEqual(saveFilters('export', 'image/png'), { 'PNG image': ['png'], 'All files': ['*'] });
  assert.deepEqual(saveFilters('export', 'application/x-unknown'), { 'All files': ['*'] });
});

test('saveFromPanel: save dialog in the workspace folder, bytes written where chosen, next export proposes that folder', async () => {
  reset();
  stub.workspaceState.folders = [{ uri: stub.Uri.file('/ws') }];
  try {
    stub.saveDialogAnswer.uri = stub.Uri.file('/out/dir/my-loss.csv');
    const uri = await saveFromPanel({ type: 'saveFile', filename: 'loss.csv', mime: 'text/csv', base64: b64('a,b\n1,2\n') });
    assert.equal(uri?.fsPath, '/out/dir/my-loss.csv');
    assert.equal(stub.saveDialogs.length, 1);
    assert.equal(stub.saveDialogs[0]!.defaultUri?.fsPath, '/ws/loss.csv');
    assert.deepEqual(stub.saveDialogs[0]!.filters, { CSV: ['csv'], 'All files': ['*'] });
    assert.equal(stub.written.length, 1);
    assert.equal(stub.written[0]!.uri.fsPath, '/out/dir/my-loss.csv');
    assert.equal(Buffer.from(stub.written[0]!.bytes).toString(), 'a,b\n1,2\n');
    assert.match(stub.statusMessages[0]!, /saved \/out\/dir\/my-loss\.csv/);

    // The next export proposes the folder the last one went to.
    stub.saveDialogAnswer.uri = undefined;
    assert.equal(await saveFromPanel({ type: 'saveFile', filename: '../x/loss.png', mime: 'image/png', base64: b64('png') }), undefined);
    assert.equal(stub.saveDialogs[1]!.defaultUri?.fsPath, '/out/dir/loss.png');
    assert.equal(stub.written.length, 1, 'cancelled: nothing written');
  } finally {
    stub.workspaceState.folders = undefined;
    reset();
  }
});

test('saveFromPanel shows write failures and unreadable messages instead of throwing', async () => {
  reset();
  try {
    stub.saveDialogAnswer.uri = stub.Uri.file('/ro/loss.svg');
    stub.writeFailure.error = new Error('EACCES: permission denied');
    assert.equal(await saveFromPanel({ type: 'saveFile', filename: 'loss.svg', mime: 'image/svg+xml', base64: b64('<svg/>') }), undefined);
    assert.equal(stub.shown.at(-1)?.level, 'error');
    assert.match(stub.shown.at(-1)!.message, /could not save \/ro\/loss\.svg: EACCES/);

    const dialogs = stub.saveDialogs.length;
    assert.equal(await saveFromPanel({ type: 'saveFile', filename: 'x.csv', base64: '%%%' }), undefined);
    assert.equal(stub.saveDialogs.length, dialogs, 'no dialog for an unreadable message');
    assert.match(stub.shown.at(-1)!.message, /could not be read/);
  } finally {
    reset();
  }
});
