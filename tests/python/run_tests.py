#!/usr/bin/env python3
"""Runs every tests/python/test_*.py with unittest; prints `python: N passed, N failed` last; exits 1 on failure.

Usage: /usr/bin/python3 tests/python/run_tests.py [-v] [pattern-or-test-name ...]
"""
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


class CountingResult(unittest.TextTestResult):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.passed = 0

    def addSuccess(self, test):
        super().addSuccess(test)
        self.passed += 1


def main(argv, here=HERE, label="python"):
    """Runs the test_*.py files of `here` (or the named ones); `label` prefixes the summary lines."""
    verbosity = 2 if "-v" in argv else 1
    names = [a for a in argv if not a.startswith("-")]
    loader = unittest.TestLoader()
    if names:
        suite = unittest.TestSuite()
        for n in names:
            if n.endswith(".py"):
                suite.addTests(loader.discover(here, pattern=os.path.basename(n), top_level_dir=here))
            else:
                suite.addTests(loader.loadTestsFromName(n))
    else:
        suite = loader.discover(here, pattern="test_*.py", top_level_dir=here)
    runner = unittest.TextTestRunner(verbosity=verbosity, resultclass=CountingResult, stream=sys.stdout)
    t0 = time.time()
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    # A skip means a missing prerequisite (e.g. Debian's python3-sklearn): on CI, or with MLTRACK_TESTS_NO_SKIPS=1,
    # that is a failure, so a suite cannot pass by not running.
    if result.skipped and (os.environ.get("CI") or os.environ.get("MLTRACK_TESTS_NO_SKIPS") == "1"):
        failed += len(result.skipped)
    if result.skipped:
        print(f"{label}: {len(result.skipped)} skipped:")
        for test, why in result.skipped:
            print(f"  {test.id()}: {why}")
    print(f"{label}: took {time.time() - t0:.1f}s")
    print(f"{label}: {result.passed} passed, {failed} failed")
    return 1 if failed or result.passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
