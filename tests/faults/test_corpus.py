"""The bad-input corpus: every line of corpus/*.jsonl is one request the REST API, /rpc or `mltrack rpc --stdio` must
refuse with the stated status and error code, with a JSON body that names what was wrong and leaks no .NET type or
store path. Each line becomes one test (test_<file>_<line>), so a failure names the case. Format: corpus/README.md."""
import glob
import json
import os
import re
import unittest

from faultlib import MLTRACK, StdioRpc, TempStore, Ui, frame

HERE = os.path.dirname(os.path.abspath(__file__))
LEAKS = ("System.", "Microsoft.", "   at ", "Exception:")
_ui = None
_store = None
_ids = {}


def setUpModule():
    global _ui, _store
    if not os.path.exists(MLTRACK):
        raise unittest.SkipTest(f"{MLTRACK} is not built (run ./mltrack --help)")
    _store = TempStore("mltrack-corpus-")
    _ui = Ui(_store)
    exp = _ui.api("/experiments/create", {"name": "corpus"})["experiment_id"]
    run = _ui.api("/runs/create", {"experiment_id": exp, "run_name": "target", "start_time": 1})["run"]["info"]["run_id"]
    gone = _ui.api("/runs/create", {"experiment_id": exp, "run_name": "deleted", "start_time": 1})["run"]["info"]["run_id"]
    _ui.api("/runs/delete", {"run_id": gone})
    _ids.update({"$DELETED_RUN": gone, "$RUN": run, "$EXP": exp})


def tearDownModule():
    if _ui:
        _ui.stop()
    if _store:
        _store.close()


def substitute(value):
    """The case with $RUN, $EXP and $DELETED_RUN replaced wherever they occur in strings."""
    if isinstance(value, str):
        for k in sorted(_ids, key=len, reverse=True):
            value = value.replace(k, _ids[k])
        return value
    if isinstance(value, list):
        return [substitute(v) for v in value]
    if isinstance(value, dict):
        return {substitute(k): substitute(v) for k, v in value.items()}
    return value


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from strings_in(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings_in(v)


class CorpusCase(unittest.TestCase):
    """One test per corpus line; the methods are added below by load_cases()."""

    def check_text(self, case, text):
        """`contains`/`not_contains` against the raw answer and its decoded strings (a message's quotes are escaped in JSON)."""
        try:
            text = text + "\n" + "\n".join(strings_in(json.loads(text)))
        except ValueError:
            pass
        expect = case.get("expect", {})
        for s in expect.get("contains", []):
            self.assertIn(substitute(s), text, f"{case['case']}: the answer should mention {s!r}")
        for s in expect.get("not_contains", []):
            self.assertNotIn(substitute(s), text, f"{case['case']}: the answer must not contain {s!r}")
        for leak in LEAKS:
            self.assertNotIn(leak, text, f"{case['case']}: the answer leaks {leak!r}: {text[:400]}")
        self.assertNotIn(_store.root, text, f"{case['case']}: the answer leaks the store's path")

    def run_http(self, case):
        expect = case.get("expect", {})
        headers = case.get("headers", {})
        if case["surface"] == "rpc-http":
            method, path = "POST", case.get("path", "/rpc")
            body = case.get("raw_body")
            if body is None:
                body = json.dumps({"jsonrpc": "2.0", "id": 1, **substitute(case["rpc"])})
        else:
            method, path = case.get("method", "GET"), substitute(case["path"])
            body = case.get("raw_body")
            if body is None and "body" in case:
                body = json.dumps(substitute(case["body"]))
        status, _, text = _ui.request(method, path, substitute(body) if isinstance(body, str) else body, headers,
                                      auth=case.get("auth", True), timeout=15)
        if "status" in expect:
            self.assertEqual(expect["status"], status, f"{case['case']}: HTTP {status} {text[:400]}")
        try:
            answer = json.loads(text)
        except ValueError:
            self.fail(f"{case['case']}: HTTP {status} answered a body that is not JSON: {text[:300]!r}")
        if "error_code" in expect:
            self.assertEqual(expect["error_code"], answer.get("error_code"), f"{case['case']}: {text[:400]}")
        if "rpc_code" in expect:
            self.assertEqual(expect["rpc_code"], (answer.get("error") or {}).get("code"), f"{case['case']}: {text[:400]}")
        self.check_text(case, text)

    def run_stdio(self, case):
        expect = case.get("expect", {})
        rpc = StdioRpc(_store)
        try:
            rpc.send(frame({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                            "params": {"storePath": _store.db, "startTrackingServer": False}}))
            self.assertIsNotNone(rpc.answer_to(0, 30), "initialize was not answered")
            if "rpc" in case:
                rpc.send(frame({"jsonrpc": "2.0", "id": 1, **substitute(case["rpc"])}))
                answer = rpc.answer_to(1, 10)
                self.assertIsNotNone(answer, f"{case['case']}: the request got no answer with its id")
                if "rpc_code" in expect:
                    self.assertEqual(expect["rpc_code"], (answer.get("error") or {}).get("code"), f"{case['case']}: {answer}")
                self.check_text(case, json.dumps(answer, ensure_ascii=False))
            else:
                data = substitute(case["frame"]).encode("utf-8", "surrogateescape")
                for _ in range(case.get("repeat", 1)):
                    rpc.send(data)
                if "rpc_code" in expect:
                    got = []
                    while True:
                        m = rpc.read_message(5)
                        if m is None:
                            break
                        got.append(m)
                        if (m.get("error") or {}).get("code") == expect["rpc_code"]:
                            break
                    self.assertTrue(any((m.get("error") or {}).get("code") == expect["rpc_code"] for m in got),
                                    f"{case['case']}: no {expect['rpc_code']} error among {got[:3]}")
            if expect.get("then_answers", True):
                # A frame that claimed more bytes than it had may swallow the first probe; the second must get through.
                answered = False
                for probe_id in (901, 902):
                    rpc.send(frame({"jsonrpc": "2.0", "id": probe_id, "method": "experiments/list", "params": {}}))
                    if rpc.answer_to(probe_id, 8) is not None:
                        answered = True
                        break
                if not answered:
                    code = rpc.proc.poll()
                    if not (expect.get("or_exits_nonzero") and code not in (None, 0)):
                        self.fail(f"{case['case']}: the backend stopped answering (exit code {code})")
        finally:
            rpc.stop()


def load_cases():
    for path in sorted(glob.glob(os.path.join(HERE, "corpus", "*.jsonl"))):
        stem = re.sub(r"\W", "_", os.path.basename(path)[:-len(".jsonl")])
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                line = line.strip()
                if not line or line.startswith("//"):
                    continue
                try:
                    case = json.loads(line)
                except ValueError as e:
                    raise ValueError(f"{path}:{lineno}: not a JSON case: {e}")
                for field in ("case", "surface"):
                    if field not in case:
                        raise ValueError(f"{path}:{lineno}: a case needs '{field}'")
                if case["surface"] not in ("rest", "rpc-http", "rpc-stdio"):
                    raise ValueError(f"{path}:{lineno}: unknown surface {case['surface']!r}")
                slug = re.sub(r"\W+", "_", case["case"].lower()).strip("_")[:60]
                runner = CorpusCase.run_stdio if case["surface"] == "rpc-stdio" else CorpusCase.run_http

                def test(self, case=case, runner=runner):
                    runner(self, case)
                test.__doc__ = f"{os.path.basename(path)}:{lineno}: {case['case']}"
                setattr(CorpusCase, f"test_{stem}_{lineno:03d}_{slug}", test)


load_cases()
