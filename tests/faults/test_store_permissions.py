"""Another local user cannot read a store: after a real tracked run (server, client, artifacts, logs, diff, spool) under
umask 022, every folder under .mltrack/ is 0700 and every file 0600 (at most owner bits), and an old world-readable
store is tightened by the next command, which says so."""
import os
import stat
import subprocess
import unittest

from faultlib import MLTRACK, REPO, TempStore, clean_env


def loose_entries(folder):
    """Paths under folder (itself included) that give any permission to group or others."""
    out = []
    for root, dirs, files in os.walk(folder):
        for name in [root] + [os.path.join(root, f) for f in files]:
            st = os.lstat(name)
            if stat.S_ISLNK(st.st_mode):
                continue
            if st.st_mode & 0o077:
                out.append(f"{os.path.relpath(name, folder)} {oct(st.st_mode & 0o777)}")
    return out


def run_tracked(store, *args):
    old = os.umask(0o022)
    try:
        return subprocess.run([MLTRACK, *args], cwd=store.root, env=clean_env(), capture_output=True, text=True, timeout=180)
    finally:
        os.umask(old)


class StorePermissionsTest(unittest.TestCase):
    def setUp(self):
        self.store = TempStore()
        subprocess.run(["git", "init", "-q", self.store.root], check=True)
        with open(os.path.join(self.store.root, "train.py"), "w") as f:
            f.write(open(os.path.join(REPO, "examples", "train.py")).read())

    def tearDown(self):
        self.store.close()

    def test_a_tracked_run_leaves_nothing_readable_by_others(self):
        r = run_tracked(self.store, "run", "--", "python3", "train.py")
        self.assertEqual(0, r.returncode, r.stderr[-2000:])
        self.assertTrue(os.path.isdir(os.path.join(self.store.folder, "artifacts")), "the run wrote artifacts")
        self.assertEqual([], loose_entries(self.store.folder))

    def test_an_old_world_readable_store_is_tightened_by_the_next_command_with_a_note(self):
        self.assertEqual(0, run_tracked(self.store, "run", "--", "python3", "train.py").returncode)
        for root, dirs, files in os.walk(self.store.folder):
            os.chmod(root, 0o755)
            for f in files:
                os.chmod(os.path.join(root, f), 0o644)
        r = run_tracked(self.store, "runs")
        self.assertEqual(0, r.returncode, r.stderr)
        self.assertIn("owner-only", r.stderr)
        self.assertEqual([], loose_entries(self.store.folder))


if __name__ == "__main__":
    unittest.main()
