#!/usr/bin/env python3
"""The fault suite: kill -9 tests, symlink and permission checks, and the bad-input corpus (corpus/*.jsonl).
Prints `faults: N passed, N failed` last; exits 1 on failure.

Usage: /usr/bin/python3 tests/faults/run_faults.py [-v] [test_file.py | test.name ...]
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "python"))

from run_tests import main  # noqa: E402  (the Python suite's runner, with this folder and label)

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], here=HERE, label="faults"))
