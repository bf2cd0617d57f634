import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PALETTE, runColor, runColors, withAlpha } from '../src/colors';

test('runColor is stable and case-insensitive, from the palette', () => {
  const id = '0123456789abcdef0123456789abcdef';
  assert.equal(runColor(id), runColor(id));
  assert.equal(runColor(id), runColor(id.toUpperCase()));
  assert.ok((PALETTE as readonly string[]).includes(runColor(id)));
});

test('runColors gives distinct colours to 50 runs and keeps the stable colour of the first', () => {
  const ids = Array.from({ length: 50 }, (_, i) => i.toString(16).padStart(32, '0'));
  const m = runColors(ids);
  assert.equal(new Set(m.values()).size, 50);
  assert.equal(m.get(ids[0]!), runColor(ids[0]!));
});

test('withAlpha', () => {
  assert.equal(withAlpha('#ff0000', 0.5), '#ff000080');
  assert.equal(withAlpha('hsl(10 50% 50%)', 0.2), 'hsl(10 50% 50% / 0.2)');
});
