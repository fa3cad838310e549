"""test_parley.py: the Python package against the command-line tool.

    PARLEY_LIB=build/libparley.so.0 PYTHONPATH=python python3 tests/python/test_parley.py PARLEY

PARLEY is the tool built from the same sources: every result the package
returns must equal what `parley ... --format json` prints for the same
input and options (the same figures, the same members), and errors in an
input must name the file, line and column the tool names.
"""
import json
import os
import subprocess
import sys
import unittest

import parley

PARLEY = None
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def cli(*args, status=0):
    p = subprocess.run([PARLEY, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if p.returncode != status:
        raise AssertionError("parley %s: exit %d, expected %d\n%s" %
                             (" ".join(args), p.returncode, status, p.stderr))
    return p


class TestParley(unittest.TestCase):
    def setUp(self):
        self.s = parley.Scenario.builtin("armistice-2025")

    def test_version(self):
        self.assertEqual(parley.version(), cli("--version").stdout.split()[1])

    def test_builtins(self):
        ids = [i for i, _ in parley.builtins()]
        self.assertIn("armistice-2025", ids)

    def test_forecast_equals_cli(self):
        r = self.s.forecast()
        want = json.loads(cli("forecast", "armistice-2025", "-f", "json").stdout)
        self.assertEqual(r, want)
        self.assertEqual(r.issues[0].forecast["compromise"],
                         want["issues"][0]["forecast"]["compromise"])
        self.assertAlmostEqual(r.issues[0].forecast["compromise"], 31.3093788063, places=9)
        self.assertEqual(r.issues[0].id, "nato")

    def test_forecast_options(self):
        r = self.s.forecast(preset="bdm", rounds=3)
        self.assertEqual(r.issues[0].eum.rounds, 3)
        with self.assertRaises(ValueError):
            self.s.forecast(eum={"no_such_field": 1})
        with self.assertRaises(ValueError):
            self.s.forecast(preset="nope")

    def test_monte_carlo_equals_cli(self):
        r = self.s.forecast(runs=300, seed=7, threads=1)
        want = json.loads(cli("forecast", "--runs", "300", "--seed", "7", "-f", "json").stdout)
        self.assertEqual(r, want)
        # any thread count, the same figures
        self.assertEqual(self.s.forecast(runs=300, seed=7, threads=3), want)
        # every run's value: its mean and extremes are the summary's
        v = r.values("nato", "median")
        self.assertEqual(len(v), 300)
        stats = r.issues[0].models["median"]
        self.assertAlmostEqual(sum(v) / len(v), stats["mean"], places=8)
        self.assertAlmostEqual(min(v), stats["min"], places=8)
        self.assertAlmostEqual(max(v), stats["max"], places=8)
        if parley._np is not None:
            self.assertEqual(type(v).__name__, "ndarray")
        else:
            self.assertIsInstance(v, list)
        self.assertEqual(list(r.values(0, "median")), list(v))
        with self.assertRaises(KeyError):
            r.values("no-such-issue")

    def test_monte_carlo_models_and_ranges(self):
        r = self.s.forecast(runs=50, seed=2, models=["median", "compromise"])
        want = json.loads(cli("forecast", "--runs", "50", "--seed", "2", "--model", "median",
                              "--model", "compromise", "-f", "json").stdout)
        self.assertEqual(r, want)
        # runs 30..49 drawn alone are the same runs
        tail = self.s.forecast(runs=20, seed=2, models=["median"], first_run=30)
        self.assertEqual(list(tail.values(1, "median")), list(r.values(1, "median"))[30:])
        with self.assertRaises(parley.ParleyError):
            r.values(0, "nash")  # not run

    def test_deals_and_negotiate_equal_cli(self):
        self.assertEqual(self.s.deals(), json.loads(cli("deals", "-f", "json").stdout))
        agents = ["boulware", "conceder", "linear", "boulware", "conceder", "linear", "boulware"]
        got = self.s.negotiate(agents, steps=50)
        want = json.loads(cli("negotiate", "--agents", ",".join(agents), "--steps", "50",
                              "-f", "json").stdout)
        self.assertEqual(got, want)

    def test_genius_space(self):
        folder = os.path.join(ROOT, "examples", "data", "genius", "Laptop")
        if not os.path.isdir(folder):
            self.skipTest("no examples/data/genius/Laptop")
        got = parley.Space.genius(folder).deals()
        self.assertEqual(got, json.loads(cli("deals", "--genius", folder, "-f", "json").stdout))

    def test_sensitivity_and_smp_equal_cli(self):
        self.assertEqual(self.s.sensitivity(model="median", top=3),
                         json.loads(cli("sensitivity", "--model", "median", "--top", "3",
                                        "-f", "json").stdout))
        self.assertEqual(self.s.smp(max_turns=20),
                         json.loads(cli("forecast", "--model", "smp", "--turns", "20",
                                        "-f", "json").stdout))

    def test_whatif(self):
        changed = self.s.set("russia.nato.position=100")
        self.assertNotEqual(changed.forecast().issues[0].forecast["compromise"],
                            self.s.forecast().issues[0].forecast["compromise"])
        with self.assertRaises(parley.ScenarioError):
            self.s.set("nobody.nato.position=1")

    def test_errors_carry_the_place(self):
        bad = os.path.join(ROOT, "tests", "cli", "validate-bad", "bad.json")
        with self.assertRaises(parley.ScenarioError) as ctx:
            parley.Scenario.load(bad)
        e = ctx.exception
        err = cli("validate", bad, status=2).stdout + cli("validate", bad, status=2).stderr
        self.assertEqual(e.file, bad)
        self.assertGreater(e.line, 0)
        self.assertGreater(e.column, 0)
        self.assertIn("%s:%d:%d" % (bad, e.line, e.column), err)
        self.assertIn(e.message, err)
        self.assertTrue(all(d.file == bad for d in e.diagnostics))
        with self.assertRaises(parley.ScenarioError) as ctx:
            parley.Scenario.from_json('{"id": "x",\n  "name": 3}', name="inline.json")
        self.assertEqual(ctx.exception.file, "inline.json")
        self.assertEqual(ctx.exception.line, 2)
        with self.assertRaises(parley.ScenarioError):
            parley.Scenario.builtin("no-such-scenario")
        with self.assertRaises(parley.ScenarioError) as ctx:
            parley.Scenario.load("/no/such/file.json")
        self.assertEqual(ctx.exception.status, "PL_EIO")

    def test_scenario_round_trip(self):
        d = self.s.to_dict()
        again = parley.Scenario.from_json(d.json)
        self.assertEqual(again.forecast(), self.s.forecast())
        self.assertEqual(again.id, "armistice-2025")


if __name__ == "__main__":
    PARLEY = sys.argv.pop(1)
    unittest.main(verbosity=1)
