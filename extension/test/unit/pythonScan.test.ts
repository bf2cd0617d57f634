import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insideTrackFunction, maskLine, metricAt, printedNames, tokenizeLine, trackTargets } from '../../src/pythonScan';

/** The metric name under the `|` marker of a one- or multi-line snippet. */
function at(src: string) {
  const lines = src.split('\n');
  const line = lines.findIndex((l) => l.includes('|'));
  assert.ok(line >= 0, 'snippet needs a | marker');
  const character = lines[line].indexOf('|');
  lines[line] = lines[line].replace('|', '');
  return metricAt(lines, line, character);
}
const nameAt = (src: string) => at(src)?.name;

test('tokenizeLine finds strings with prefixes and the comment', () => {
  const t = tokenizeLine(`x = f"a{b}" + rb'c' + "d\\"e" # note "q"`);
  assert.equal(t.strings.length, 3);
  assert.equal(t.strings[0].prefix, 'f');
  assert.equal(t.strings[1].prefix, 'rb');
  assert.ok(t.comment > t.strings[2].end);
  assert.equal(tokenizeLine('buf"x"').strings[0].prefix, '');
  assert.equal(maskLine(`a("(", b) # )`), 'a("  , b)    ');
});

test('log_metric first argument, any qualifier, quotes of both kinds', () => {
  assert.equal(nameAt(`mlflow.log_metric("val|_loss", 0.3)`), 'val_loss');
  assert.equal(nameAt(`log_metric('|acc', acc, step=epoch)`), 'acc');
  assert.equal(nameAt(`    self.run.log_metric( "loss|" , v)`), 'loss');
  assert.equal(nameAt(`mltrack.log_metric(key="l|r", value=lr)`), 'lr');
  assert.equal(nameAt(`client.log_metric(run_id, "val|_acc", 0.9)`), undefined, 'run id first: not a key position');
});

test('the reported range covers the name inside the quotes', () => {
  const r = at(`mlflow.log_metric("val|_loss", 0.3)`)!;
  assert.deepEqual([r.start, r.end, r.kind], [19, 27, 'log_metric']);
});

test('log_metrics and mltrack.log dict keys, one line and several lines', () => {
  assert.equal(nameAt(`mlflow.log_metrics({"loss": l, "a|cc": a})`), 'acc');
  assert.equal(nameAt(`mltrack.log({"tr|ain_loss": l}, step=i)`), 'train_loss');
  assert.equal(nameAt(`log({"f|1": f1})`), 'f1');
  assert.equal(nameAt(`log_metrics(metrics={"|rmse": e})`), 'rmse');
  assert.equal(nameAt(['mltrack.log_metrics(', '    {', '        "loss": loss,  # (', '        "val|_acc": (a + b) / 2,', '    }', ')'].join('\n')), 'val_acc');
  assert.equal(nameAt(`mltrack.log("a|cc", 0.9)`), 'acc');
});

test('dict values, other calls and plain dicts are not metric names', () => {
  assert.equal(nameAt(`mlflow.log_metrics({"loss": "v|al"})`), undefined);
  assert.equal(nameAt(`math.log({"a|": 1})`), undefined);
  assert.equal(nameAt(`config = {"l|r": 0.1}`), undefined);
  assert.equal(nameAt(`json.dumps({"a|cc": 1})`), undefined);
  assert.equal(nameAt(`mlflow.log_param("l|r", 0.1)`), undefined);
  assert.equal(nameAt(`log_metric("acc", 1)  # "a|cc"`), undefined);
});

test('returned dict keys inside a @track function only', () => {
  const tracked = ['import mltrack', '', '@mltrack.track(experiment="x")', 'def train(lr=0.1):', '    for i in range(3):', '        pass', '    return {"a|cc": 0.9, "loss": 0.1}'];
  assert.equal(nameAt(tracked.join('\n')), 'acc');
  assert.equal(at(tracked.join('\n'))!.kind, 'return');
  const plain = ['@track', 'def train():', '    def helper():', '        return {"a|cc": 1}', '    return helper()'];
  assert.equal(nameAt(plain.join('\n')), undefined, 'nested undecorated function');
  const untracked = ['def train():', '    return {"a|cc": 0.9}'];
  assert.equal(nameAt(untracked.join('\n')), undefined);
  const multi = ['@track', 'def train():', '    return {', '        "val|_loss": v,', '    }'];
  assert.equal(nameAt(multi.join('\n')), 'val_loss');
});

test('insideTrackFunction follows indentation and decorator lists', () => {
  const src = ['@other', '@track', 'async def f():', '    if x:', '        y = 1', 'z = 2'];
  assert.equal(insideTrackFunction(src, 4), true);
  assert.equal(insideTrackFunction(src, 5), false);
});

test('printed name=value and name: value in print lines and f-strings', () => {
  assert.equal(nameAt(`print(f"epoch {e} lo|ss={loss:.4f} acc={acc}")`), 'loss');
  assert.equal(nameAt(`print(f"epoch {e} loss={loss:.4f} a|cc={acc}")`), 'acc');
  assert.equal(nameAt(`print(f"{val_l|oss=}")`), 'val_loss');
  assert.equal(nameAt(`print("val_acc: %.3f" % a)`.replace('val_acc', 'val|_acc')), 'val_acc');
  assert.equal(nameAt(`print("lo|ss=", loss)`), 'loss');
  assert.equal(nameAt(`msg = f"lr|={lr}"`), 'lr');
  assert.equal(at(`print(f"lo|ss={loss}")`)!.kind, 'print');
});

test('format specs, expressions and plain text in printed strings are not names', () => {
  assert.equal(nameAt(`print(f"loss={lo|ss:.4f}")`), undefined);
  assert.equal(nameAt(`print("ep|och 3 done")`), undefined);
  assert.equal(nameAt(`print("see http|://x")`), undefined);
  assert.equal(nameAt(`x = "lo|ss=1"`), undefined, 'not printed, not an f-string');
});

test('printedNames', () => {
  assert.deepEqual(printedNames('epoch %d loss=%.3f acc: %s', false).map((n) => n[0]), ['loss', 'acc']);
  assert.deepEqual(printedNames('{{x}} {a=} b={b!r:>8}', true).map((n) => n[0]), ['a', 'b']);
  assert.deepEqual(printedNames('val/loss=1 train.acc=2', false).map((n) => n[0]), ['val/loss', 'train.acc']);
});

test('trackTargets: __main__ guard and @track functions', () => {
  const src = [
    'import mltrack',
    '@mltrack.track',
    'def a(): pass',
    '',
    '@functools.cache',
    '@track(name="b")  # tracked',
    'def b():',
    '    pass',
    '@tracker',
    'def c(): pass',
    "if __name__ == '__main__':",
    '    a()',
    '    if __name__ == "__main__":',
  ];
  assert.deepEqual(trackTargets(src), [
    { line: 1, kind: 'function', functionName: 'a' },
    { line: 4, kind: 'function', functionName: 'b' },
    { line: 10, kind: 'main' },
  ]);
  assert.deepEqual(trackTargets(['if "__main__" == __name__:']), [{ line: 0, kind: 'main' }]);
  assert.deepEqual(trackTargets(['x = 1']), []);
});
