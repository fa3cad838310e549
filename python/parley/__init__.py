"""parley: forecasts of multilateral negotiations, from Python.

A pure-Python package over libparley (ctypes; no compiled extension).
Results mirror the JSON the command-line tool prints with --format json:

    >>> import parley
    >>> s = parley.Scenario.builtin("armistice-2025")
    >>> r = s.forecast()
    >>> r.issues[0].id, r.issues[0].forecast["compromise"]
    ('nato', 31.3093788063)

    >>> mc = s.forecast(runs=1000, seed=1)          # Monte Carlo
    >>> mc.issues[0].models["median"]["p95"]
    >>> mc.values("nato", "median")                  # every run's forecast

Errors in an input raise ScenarioError with .file, .line, .column and
.message (the first error) and .diagnostics (all of them).  The library is
found next to this package, in the install prefix, or at PARLEY_LIB; see
docs/python.md.
"""
import ctypes
import json

from . import _lib
from ._lib import lib

__all__ = ["Scenario", "Space", "Result", "ParleyError", "ScenarioError", "Diagnostic",
           "version", "builtins", "smp_ktab", "library_path"]

try:  # numpy is optional: arrays when present, lists when not
    import numpy as _np
except ImportError:  # pragma: no cover - depends on the machine
    _np = None

FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV = 0, 1, 2
_STATUS = ["PL_OK", "PL_EINVAL", "PL_ENOMEM", "PL_EIO", "PL_EPARSE", "PL_EINPUT", "PL_ERANGE",
           "PL_ENOTFOUND", "PL_EINTERRUPTED"]
library_path = _lib.path


def version():
    """The version of the libparley that was loaded."""
    return lib.pl_version().decode()


class Diagnostic:
    """One problem found in an input: severity ("error" or "warning"), file,
    line and column (1-based; 0 when not known) and the message."""

    __slots__ = ("severity", "file", "line", "column", "message")

    def __init__(self, severity, file, line, column, message):
        self.severity, self.file, self.line, self.column, self.message = (
            severity, file, line, column, message)

    def __str__(self):
        place = self.file or ""
        if self.line:
            place += ":%d:%d" % (self.line, self.column)
        return "%s: %s: %s" % (place, self.severity, self.message)

    __repr__ = __str__


class ParleyError(Exception):
    """A call into libparley failed: .status is the status name (PL_EINVAL,
    ...), .diagnostics what the library reported."""

    def __init__(self, status, what, diagnostics=()):
        self.status = _STATUS[status] if 0 <= status < len(_STATUS) else str(status)
        self.diagnostics = list(diagnostics)
        errors = [d for d in self.diagnostics if d.severity == "error"]
        detail = "; ".join(str(d) for d in errors[:3])
        super().__init__("%s: %s%s" % (what, lib.pl_strerror(status).decode(),
                                       ": " + detail if detail else ""))


class ScenarioError(ParleyError, ValueError):
    """An input could not be read: .file, .line, .column and .message of the
    first error; .diagnostics has every problem."""

    def __init__(self, status, what, diagnostics=()):
        super().__init__(status, what, diagnostics)
        first = next((d for d in self.diagnostics if d.severity == "error"), None)
        self.file = first.file if first else None
        self.line = first.line if first else 0
        self.column = first.column if first else 0
        self.message = first.message if first else str(self)


class _Diags:
    def __init__(self):
        self.p = ctypes.c_void_p()
        _check(lib.pl_diags_new(ctypes.byref(self.p)), "pl_diags_new")

    def list(self):
        out = []
        for i in range(lib.pl_diags_count(self.p)):
            d = lib.pl_diags_get(self.p, i).contents
            out.append(Diagnostic("error" if d.severity == 2 else "warning",
                                  d.file.decode() if d.file else None, d.line, d.column,
                                  d.message.decode() if d.message else ""))
        return out

    def __del__(self):
        if self.p:
            lib.pl_diags_free(self.p)
            self.p = None


def _check(rc, what, diags=None, error=ParleyError):
    if rc != 0:
        raise error(rc, what, diags.list() if diags else ())


def _take_string(p):
    """A string the library allocated, released with pl_free."""
    try:
        return ctypes.string_at(p).decode()
    finally:
        lib.pl_free(p)


def _report(fn, *args):
    out = ctypes.c_void_p()
    _check(fn(*args, FORMAT_JSON, ctypes.byref(out)), fn.__name__)
    return _take_string(out)


class Node(dict):
    """A JSON object whose members read as attributes too: r.issues[0].id is
    r["issues"][0]["id"].  Names with a dash ("eum-mean") read as items."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _nodes(value):
    if isinstance(value, dict):
        return Node((k, _nodes(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_nodes(v) for v in value]
    return value


class Result(Node):
    """What a computation returned, shaped as the tool's JSON output (the
    same members); .json is that text."""

    def __init__(self, text):
        super().__init__(_nodes(json.loads(text)))
        self.__dict__["json"] = text


class MonteCarlo(Result):
    """A Monte Carlo forecast: the JSON summary (r.issues[i].models[m] with
    mean, sd, median, p5, p95, min, max, histogram, options) and every run's
    forecast through values()."""

    def __init__(self, text, scenario, mc):
        super().__init__(text)
        self.__dict__["_scenario"] = scenario
        self.__dict__["_mc"] = mc

    def values(self, issue, model="compromise"):
        """Each run's forecast of `issue` (an index or an id) under `model`,
        in run order: a numpy array when numpy is installed, else a list.
        ParleyError (PL_ERANGE) when the runs were summarised."""
        if isinstance(issue, str):
            ids = [i["id"] for i in self["issues"]]
            if issue not in ids:
                raise KeyError("no issue %r (issues: %s)" % (issue, ", ".join(ids)))
            issue = ids.index(issue)
        m = ctypes.c_int()
        _check(lib.pl_mc_model_from_name(model.encode(), ctypes.byref(m)),
               "unknown model %r" % model)
        n = lib.pl_mc_n_runs(self._mc)
        buf = (ctypes.c_double * n)()
        _check(lib.pl_mc_values(self._mc, issue, m.value, buf), "pl_mc_values")
        if _np is not None:
            return _np.frombuffer(buf, dtype=_np.float64).copy()
        return list(buf)

    def __del__(self):
        mc = self.__dict__.pop("_mc", None)
        if mc:
            lib.pl_mc_free(mc)


def _set_fields(struct, values, what):
    for key, value in (values or {}).items():
        if not hasattr(struct, key) or key.startswith("progress"):
            names = [f[0] for f in struct._fields_ if not f[0].startswith("progress")]
            raise ValueError("%s: no option %r (options: %s)" % (what, key, ", ".join(names)))
        setattr(struct, key, value)


_PRESETS = {"scholz": 0, "bdm": 1}


def _forecast_options(opt, preset, rounds, eum, sticky):
    if preset is not None:
        if preset not in _PRESETS:
            raise ValueError("preset: expected scholz or bdm, found %r" % preset)
        lib.pl_eum_options_init(ctypes.byref(opt.eum), _PRESETS[preset])
        opt.eum.max_rounds = 10
    if rounds is not None:
        opt.eum.max_rounds = rounds
    _set_fields(opt.eum, eum, "eum")
    _set_fields(opt.sticky, sticky, "sticky")


def _smp_options(options):
    opt = _lib.SmpOptions()
    lib.pl_smp_options_init(ctypes.byref(opt))
    for key, value in (options or {}).items():
        if isinstance(value, bool):
            value = int(value)
        rc = lib.pl_smp_options_set(ctypes.byref(opt), key.encode(), str(value).encode())
        _check(rc, "smp option %s=%s" % (key, value))
    return opt


_SAL_NORMS = {"cap": 0, "divide": 1, "unit": 2}


class Scenario:
    """A parley scenario: actors, issues, positions.  Make one with
    Scenario.builtin(id), Scenario.load(path) or Scenario.from_json(text)."""

    def __init__(self, handle):
        self._p = handle

    def __del__(self):
        if getattr(self, "_p", None):
            lib.pl_scenario_free(self._p)
            self._p = None

    # --- loading ---
    @classmethod
    def builtin(cls, scenario_id):
        """One of the scenarios compiled into the library (builtins())."""
        d, p = _Diags(), ctypes.c_void_p()
        _check(lib.pl_scenario_load_builtin(scenario_id.encode(), d.p, ctypes.byref(p)),
               "builtin scenario %r" % scenario_id, d, ScenarioError)
        return cls(p)

    @classmethod
    def load(cls, path, capabilities=None):
        """A scenario file: JSON, a one-issue .csv, or a DEU .tsv table
        (capabilities: as `parley backtest --capabilities`).  Problems raise
        ScenarioError with the file, line and column."""
        d, p = _Diags(), ctypes.c_void_p()
        path = str(path)
        if path.lower().endswith(".tsv"):
            rc = lib.pl_scenario_load_deu_file(path.encode(),
                                               capabilities.encode() if capabilities else None,
                                               d.p, ctypes.byref(p), None)
        else:
            rc = lib.pl_scenario_load_file(path.encode(), d.p, ctypes.byref(p))
        _check(rc, path, d, ScenarioError)
        s = cls(p)
        s.warnings = [x for x in d.list() if x.severity == "warning"]
        return s

    @classmethod
    def from_json(cls, text, name="<string>"):
        """A scenario from its JSON text (docs/scenario-format.md)."""
        data = text.encode() if isinstance(text, str) else bytes(text)
        d, p = _Diags(), ctypes.c_void_p()
        _check(lib.pl_scenario_load_buffer(data, len(data), name.encode(), d.p, ctypes.byref(p)),
               name, d, ScenarioError)
        return cls(p)

    # --- reading ---
    @property
    def id(self):
        return lib.pl_scenario_id(self._p).decode()

    @property
    def name(self):
        return lib.pl_scenario_name(self._p).decode()

    def to_dict(self):
        """The scenario in its own file format (a normalised copy), as
        `parley show --format json` prints it."""
        return Result(_report(lib.pl_report_scenario, self._p))

    def copy(self):
        p = ctypes.c_void_p()
        _check(lib.pl_scenario_clone(self._p, ctypes.byref(p)), "pl_scenario_clone")
        return Scenario(p)

    # --- what-if (each returns a changed copy) ---
    def _whatif(self, fn, spec, what):
        s = self.copy()
        d = _Diags()
        _check(fn(s._p, spec.encode(), what.encode(), d.p), what + " " + spec, d, ScenarioError)
        return s

    def set(self, spec):
        """A copy with one value changed: "ACTOR.ISSUE.position=X",
        "ACTOR.ISSUE.salience=X", "ACTOR.capability=X", "ACTOR.ISSUE=none"."""
        return self._whatif(lib.pl_whatif_set, spec, "--set")

    def drop(self, actor):
        """A copy without `actor`."""
        return self._whatif(lib.pl_whatif_drop, actor, "--drop")

    def add(self, spec):
        """A copy with one more actor, "ID:NAME:CAPABILITY"."""
        return self._whatif(lib.pl_whatif_add, spec, "--add")

    # --- computing ---
    def forecast(self, runs=0, seed=1, models=None, threads=0, bins=10, preset=None, rounds=None,
                 eum=None, sticky=None, smp=None, smp_salience_norm="cap", exact_bytes=0,
                 first_run=0):
        """Forecast every issue with every model (runs=0), as `parley
        forecast -f json`; or a Monte Carlo of `runs` runs drawing the
        uncertain values from the stream (seed, run), as `parley forecast
        --runs N --seed S -f json`, with `models` (names, "smp" included)
        or every one-issue model.
          preset, rounds      the expected utility model's preset ("scholz",
                              "bdm") and its rounds (10)
          eum, sticky         dicts of pl_eum_options / pl_sticky_params
                              fields (include/parley/eum.h, parley.h)
          smp                 dict of spatial-model options (keys as
                              `--smp KEY=VALUE`), with smp_salience_norm
          threads, bins, exact_bytes, first_run   as pl_mc_options
        Results never depend on `threads`."""
        if runs == 0:
            if models is not None or smp is not None:
                raise ValueError("models and smp choose what the Monte Carlo runs (runs > 0)")
            opt = _lib.ForecastOptions()
            lib.pl_forecast_options_init(ctypes.byref(opt))
            _forecast_options(opt, preset, rounds, eum, sticky)
            f = ctypes.c_void_p()
            _check(lib.pl_forecast_run(self._p, ctypes.byref(opt), ctypes.byref(f)),
                   "forecast")
            try:
                return Result(_report(lib.pl_report_forecast, self._p, f))
            finally:
                lib.pl_forecast_free(f)
        opt = _lib.McOptions()
        lib.pl_mc_options_init(ctypes.byref(opt))
        _forecast_options(opt.forecast, preset, rounds, eum, sticky)
        opt.runs, opt.seed, opt.n_threads, opt.bins = runs, seed, threads, bins
        opt.exact_bytes, opt.first_run = exact_bytes, first_run
        if models is not None:
            for k in range(_lib.PL_MC_N_MODELS):
                opt.models[k] = 0
            for name in models:
                m = ctypes.c_int()
                _check(lib.pl_mc_model_from_name(name.encode(), ctypes.byref(m)),
                       "unknown model %r" % name)
                opt.models[m.value] = 1
        smp_opt = _smp_options(smp)  # kept alive through the run
        opt.smp = ctypes.pointer(smp_opt)
        if smp_salience_norm not in _SAL_NORMS:
            raise ValueError("smp_salience_norm: expected cap, divide or unit")
        opt.smp_salience_norm = _SAL_NORMS[smp_salience_norm]
        mc = ctypes.c_void_p()
        _check(lib.pl_mc_run(self._p, ctypes.byref(opt), ctypes.byref(mc)), "Monte Carlo")
        try:
            text = _report(lib.pl_report_mc, self._p, mc)
        except BaseException:
            lib.pl_mc_free(mc)
            raise
        return MonteCarlo(text, self, mc)

    def sensitivity(self, model="compromise", top=10, preset=None, rounds=None):
        """Which inputs move each issue's forecast most (`parley
        sensitivity -f json`)."""
        m = ctypes.c_int()
        _check(lib.pl_model_from_name(model.encode(), ctypes.byref(m)), "unknown model %r" % model)
        opt = _lib.SensitivityOptions()
        lib.pl_sensitivity_options_init(ctypes.byref(opt))
        _forecast_options(opt.forecast, preset, rounds, None, None)
        r = ctypes.c_void_p()
        _check(lib.pl_sensitivity_run(self._p, m.value, ctypes.byref(opt), ctypes.byref(r)),
               "sensitivity")
        try:
            return Result(_report(lib.pl_report_sensitivity, self._p, r, top))
        finally:
            lib.pl_sensitivity_free(r)

    def smp(self, salience_norm="cap", **options):
        """The spatial model of politics (KTAB's SMP) on all issues at once,
        turn by turn (`parley forecast --model smp -f json`); options as
        `--smp KEY=VALUE` (e.g. vpm="Octic", max_turns=50)."""
        d, data = _Diags(), ctypes.c_void_p()
        _check(lib.pl_smp_data_from_scenario(self._p, _SAL_NORMS[salience_norm], d.p,
                                             ctypes.byref(data)), "smp", d, ScenarioError)
        try:
            return _run_smp(data, options)
        finally:
            lib.pl_smp_data_free(data)

    def space(self, grid=5):
        """The package-deal space of the scenario (one party per actor)."""
        so = _lib.SpaceOptions()
        lib.pl_space_options_init(ctypes.byref(so))
        so.grid_points = grid
        sp = ctypes.c_void_p()
        _check(lib.pl_space_from_scenario(self._p, ctypes.byref(so), ctypes.byref(sp)), "space")
        return Space(sp)

    def deals(self, grid=5, **options):
        """Package deals (`parley deals -f json`)."""
        return self.space(grid).deals(**options)

    def negotiate(self, agents, grid=5, **options):
        """The negotiation played out (`parley negotiate -f json`)."""
        return self.space(grid).negotiate(agents, **options)


def _run_smp(data, options):
    opt = _smp_options(options)
    d, res = _Diags(), ctypes.c_void_p()
    _check(lib.pl_smp_run(data, ctypes.byref(opt), d.p, ctypes.byref(res)), "smp", d,
           ScenarioError)
    try:
        out = ctypes.c_void_p()
        _check(lib.pl_smp_report(data, res, FORMAT_JSON, 0, ctypes.byref(out)), "smp report")
        return Result(_take_string(out))
    finally:
        lib.pl_smp_result_free(res)


def smp_ktab(path, **options):
    """The spatial model run on a KTAB scenario file (CSV, or XML where the
    library reads it), options as `--smp KEY=VALUE`."""
    d, data = _Diags(), ctypes.c_void_p()
    _check(lib.pl_smp_read_ktab_file(str(path).encode(), d.p, ctypes.byref(data)), str(path), d,
           ScenarioError)
    try:
        return _run_smp(data, options)
    finally:
        lib.pl_smp_data_free(data)


class Space:
    """An outcome space: parties, issues with options, each party's utility
    for every package.  From a scenario (Scenario.space) or from GENIUS
    files (Space.genius)."""

    def __init__(self, handle):
        self._p = handle

    def __del__(self):
        if getattr(self, "_p", None):
            lib.pl_space_free(self._p)
            self._p = None

    @classmethod
    def genius(cls, domain_or_folder, profiles=(), real_step=0.0):
        """A GENIUS domain and its profiles (XML), GeniusWeb profiles
        (domain None, .json profiles), or a folder holding them."""
        so = _lib.SpaceOptions()
        lib.pl_space_options_init(ctypes.byref(so))
        so.real_step = real_step
        d, sp = _Diags(), ctypes.c_void_p()
        if not profiles:
            rc = lib.pl_space_load_genius_dir(str(domain_or_folder).encode(), ctypes.byref(so),
                                              d.p, ctypes.byref(sp))
        else:
            arr = (ctypes.c_char_p * len(profiles))(*[str(p).encode() for p in profiles])
            dom = str(domain_or_folder).encode() if domain_or_folder is not None else None
            rc = lib.pl_space_load_genius(dom, arr, len(profiles), ctypes.byref(so), d.p,
                                          ctypes.byref(sp))
        _check(rc, str(domain_or_folder), d, ScenarioError)
        return cls(sp)

    @property
    def parties(self):
        return [lib.pl_space_party(self._p, i).decode()
                for i in range(lib.pl_space_n_parties(self._p))]

    def _deals(self, max_outcomes=0, threads=0, time=0.0):
        o = _lib.DealsOptions()
        lib.pl_deals_options_init(ctypes.byref(o))
        if max_outcomes:
            o.max_outcomes = int(max_outcomes)
        o.n_threads, o.time = threads, time
        d, out = _Diags(), ctypes.c_void_p()
        _check(lib.pl_deals_run(self._p, ctypes.byref(o), d.p, ctypes.byref(out)), "deals", d)
        return out

    def deals(self, max_outcomes=0, threads=0, time=0.0):
        """The zone of agreement, Pareto frontier, solutions, blockers
        (`parley deals -f json`)."""
        d = self._deals(max_outcomes, threads, time)
        try:
            return Result(_report(lib.pl_report_deals, self._p, d))
        finally:
            lib.pl_deals_free(d)

    def negotiate(self, agents, steps=100, seed=0, max_outcomes=0, rational=False,
                  discount=False, trace=False, protocol="sao"):
        """One agent per party (e.g. ["boulware", "conceder", "tb:2"]) playing
        the stacked alternating offers protocol, or with protocol="single-text"
        the mediated single negotiating text (`parley negotiate -f json`)."""
        if isinstance(agents, str):
            agents = agents.split(",")
        o = _lib.NegotiateOptions()
        o.n_steps, o.seed, o.max_outcomes = steps, seed, int(max_outcomes)
        o.rational, o.discount, o.trace = int(rational), int(discount), int(trace)
        o.protocol = {"sao": 0, "single-text": 1}[protocol]
        arr = (ctypes.c_char_p * len(agents))(*[a.encode() for a in agents])
        diags, neg = _Diags(), ctypes.c_void_p()
        _check(lib.pl_negotiate(self._p, arr, len(agents), ctypes.byref(o), diags.p,
                                ctypes.byref(neg)), "negotiate", diags)
        try:
            try:
                d = self._deals()
            except ParleyError:
                d = ctypes.c_void_p()  # too large a space: no distances, as the tool
            try:
                return Result(_report(lib.pl_report_negotiation, self._p, neg, d))
            finally:
                if d:
                    lib.pl_deals_free(d)
        finally:
            lib.pl_negotiation_free(neg)


def builtins():
    """The ids and titles of the scenarios built into the library."""
    return [(lib.pl_builtin_id(i).decode(), lib.pl_builtin_title(i).decode())
            for i in range(lib.pl_builtin_count())]
