"""The client's key and name rule: the server's (and MLflow's) rule, applied before anything is queued or sent."""
import unittest

import helpers  # noqa: F401  (puts the client on sys.path)

from mltrack import _names, _tracking
import mltrack_capture


class _RecordingBatcher:
    def __init__(self):
        self.points = []

    def add(self, run_id, key, value, step, timestamp):
        self.points.append(key)

    def add_many(self, run_id, points):
        self.points.extend(p[0] for p in points)


class KeyRuleTests(unittest.TestCase):
    def test_control_and_invisible_characters_are_named_with_their_position(self):
        cases = {"a\nb": "U+000A LINE FEED (newline) at position 1", "a\tb": "U+0009 CHARACTER TABULATION (tab) at position 1",
                 "ab\u202e": "U+202E RIGHT-TO-LEFT OVERRIDE at position 2", "\u200bx": "U+200B ZERO WIDTH SPACE at position 0",
                 "a\u2028": "U+2028 LINE SEPARATOR at position 1", "a\u00ad": "U+00AD SOFT HYPHEN at position 1"}
        for key, expected in cases.items():
            with self.subTest(key=key):
                self.assertIn(expected, _names.key_problem(key))

    def test_mlflows_good_names_pass_and_its_bad_names_fail(self):
        # mlflow/utils/validation.py's own test lists, plus the colon MLflow allows since 2.16 and letters of any script
        for good in ["a", "Ab-5_", "a/b/c", "a.b.c", ".a", "b.", "a..a/._./o_O/.e.", "a b/c d", "n:estimators", "损失", "é"]:
            self.assertIsNone(_names.key_problem(good), good)
        for bad in ["", ".", "/", "..", "//", "a//b", "a/./b", "/a", "a/", ":\\", "\\", "./", "/./", "a@b", "a\n", "x" * 251]:
            self.assertIsNotNone(_names.key_problem(bad), bad)

    def test_the_refused_key_is_quoted_escaped_so_the_message_cannot_spoof(self):
        with self.assertRaises(ValueError) as e:
            _names.check_key("loss\u202e", "metric")
        self.assertIn("'loss\\u202e'", str(e.exception))
        self.assertNotIn("\u202e", str(e.exception))


class ClientChecksBeforeQueuingTests(unittest.TestCase):
    def setUp(self):
        self.client = _tracking.Client()
        self.client.batcher = _RecordingBatcher()

    def test_log_metrics_with_one_bad_key_queues_nothing(self):
        with self.assertRaises(ValueError):
            self.client.log_metrics("r" * 32, {"ok": 1.0, "bad\nkey": 2.0})
        self.assertEqual([], self.client.batcher.points)

    def test_log_metric_with_a_bad_key_raises_at_the_call(self):
        with self.assertRaises(ValueError):
            self.client.log_metric("r" * 32, "a\u200bb", 1.0)
        self.assertEqual([], self.client.batcher.points)

    def test_a_run_name_with_an_invisible_character_is_refused_before_the_run_is_created(self):
        with self.assertRaises(ValueError) as e:
            self.client.create_run(name="train\u202egnp")
        self.assertIn("U+202E RIGHT-TO-LEFT OVERRIDE at position 5", str(e.exception))


class CaptureDropsBadKeysTests(unittest.TestCase):
    def test_a_captured_param_with_a_bad_key_is_dropped_with_a_warning_and_the_rest_logged(self):
        logged, warnings = [], []

        class Client:
            def log_params(self, run_id, params, skip_existing=False):
                logged.append(dict(params))

        state = mltrack_capture.CaptureState.__new__(mltrack_capture.CaptureState)
        state.client = Client()
        state.run_id_now = lambda: "r" * 32
        state.warn = warnings.append
        state.log_params({"lr": 0.1, "odd\tdest": 1})
        self.assertEqual([{"lr": 0.1}], logged)
        self.assertEqual(1, len(warnings))
        self.assertIn("U+0009", warnings[0])


if __name__ == "__main__":
    unittest.main()
