"""_lib.py: libparley loaded through ctypes, its functions' signatures and
mirrors of the public option structs of include/parley.h.

The library is looked for, in this order:
  1. PARLEY_LIB: the path of libparley.so.0 (or of the folder holding it);
  2. next to this package (a copy of libparley.so.0 in its folder);
  3. the install prefix: the library folder that cmake --install wrote into
     _paths.py, relative to this package;
  4. the dynamic loader's search path (ldconfig, LD_LIBRARY_PATH).

The mirrored structs are checked when the module loads: each is filled by
the library's own _init function inside a larger buffer, and the bytes past
the mirror must stay untouched and the defaults read back as documented;
otherwise the import fails rather than pass a struct of the wrong shape.
"""
import ctypes
import os

SONAME = "libparley.so.0"


class LibraryNotFound(ImportError):
    pass


def _candidates():
    env = os.environ.get("PARLEY_LIB")
    if env:
        yield os.path.join(env, SONAME) if os.path.isdir(env) else env
        return
    here = os.path.dirname(os.path.abspath(__file__))
    yield os.path.join(here, SONAME)
    try:
        from . import _paths
        yield os.path.normpath(os.path.join(here, _paths.LIBDIR_FROM_PACKAGE, SONAME))
    except ImportError:
        pass
    yield SONAME


def _load():
    tried = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            tried.append(path + " (absent)")
            continue
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
    raise LibraryNotFound("parley: cannot load libparley; tried " + "; ".join(tried) +
                          ". Set PARLEY_LIB to the path of libparley.so.0.")


lib, path = _load()

c_size = ctypes.c_size_t
c_dbl = ctypes.c_double
c_int = ctypes.c_int
c_uint = ctypes.c_uint
c_ull = ctypes.c_ulonglong
c_u64 = ctypes.c_uint64
c_str = ctypes.c_char_p
c_ptr = ctypes.c_void_p

PL_MODEL_COUNT = 9  # compromise ... sticky, snap, candidate, ensemble
PL_MC_N_MODELS = PL_MODEL_COUNT + 2  # ..., smp, exchange


class Diag(ctypes.Structure):
    _fields_ = [("severity", c_int), ("file", c_str), ("line", c_int), ("column", c_int),
                ("message", c_str)]


class EumOptions(ctypes.Structure):
    _fields_ = [("q", c_dbl), ("prob_denom", c_int), ("risk_votes", c_int),
                ("estimate_r", c_int), ("compromise", c_int), ("choice", c_int),
                ("compromise_lowest", c_int), ("capitulation_typo", c_int),
                ("risk_norm", c_int), ("tolerance", c_dbl), ("detect_cycles", c_int),
                ("cycle_tolerance", c_dbl), ("max_rounds", c_size), ("n_threads", c_uint),
                ("record", c_int), ("progress", c_ptr), ("progress_ctx", c_ptr)]


class StickyParams(ctypes.Structure):
    _fields_ = [("tau_unanimity", c_dbl), ("tau_other", c_dbl)]


PL_CANDIDATE_N_FEATURES = 15


class SnapParams(ctypes.Structure):
    _fields_ = [("tau_unanimity", c_dbl), ("tau_other", c_dbl), ("distance", c_dbl)]


class CandidateParams(ctypes.Structure):
    _fields_ = [("beta", c_dbl * PL_CANDIDATE_N_FEATURES), ("lambda_", c_dbl)]


class ForecastOptions(ctypes.Structure):
    _fields_ = [("eum", EumOptions), ("sticky", StickyParams), ("snap", SnapParams),
                ("candidate", CandidateParams)]


class SmpOptions(ctypes.Structure):
    _fields_ = [(n, c_int) for n in ("vpm", "pcem", "transition", "voting", "radjust", "rrange",
                                      "commit", "interp", "bargain", "quirk_receiver_gain",
                                      "quirk_pwcomp_weight", "quirk_linear_challenge",
                                      "ktab_errors")] + [
        ("max_turns", c_size), ("min_turns", c_size), ("stop_ratio", c_dbl),
        ("min_sig_delta", c_dbl), ("pos_tol", c_dbl), ("seed", c_u64), ("n_threads", c_uint),
        ("sums", c_int), ("progress", c_ptr), ("progress_ctx", c_ptr)]


class McOptions(ctypes.Structure):
    _fields_ = [("forecast", ForecastOptions), ("runs", c_size), ("seed", c_ull),
                ("n_threads", c_uint), ("models", c_int * PL_MC_N_MODELS), ("bins", c_size),
                ("smp", ctypes.POINTER(SmpOptions)), ("smp_salience_norm", c_int),
                ("exchange", c_ptr), ("exact_bytes", c_size), ("first_run", c_ull),
                ("sweep_runs", c_size), ("progress", c_ptr), ("progress_ctx", c_ptr)]


class SensitivityOptions(ctypes.Structure):
    _fields_ = [("forecast", ForecastOptions), ("progress", c_ptr), ("progress_ctx", c_ptr),
                ("exchange", c_ptr), ("first", c_u64), ("count", c_u64)]


class SpaceOptions(ctypes.Structure):
    _fields_ = [("grid_points", c_size), ("real_step", c_dbl), ("real_points", c_size)]


class DealsOptions(ctypes.Structure):
    _fields_ = [("max_outcomes", c_u64), ("n_threads", c_uint), ("time", c_dbl),
                ("exhaustive", c_int), ("progress", c_ptr), ("progress_ctx", c_ptr),
                ("engine", c_int)]


class NegotiateOptions(ctypes.Structure):
    _fields_ = [("n_steps", c_size), ("seed", c_ull), ("max_outcomes", c_u64),
                ("rational", c_int), ("discount", c_int), ("trace", c_int),
                ("protocol", c_int)]


P = ctypes.POINTER
pp = ctypes.POINTER(c_ptr)

_SIGNATURES = {
    "pl_version": (c_str, []),
    "pl_strerror": (c_str, [c_int]),
    "pl_free": (None, [c_ptr]),
    "pl_diags_new": (c_int, [pp]),
    "pl_diags_free": (None, [c_ptr]),
    "pl_diags_count": (c_size, [c_ptr]),
    "pl_diags_get": (P(Diag), [c_ptr, c_size]),
    "pl_builtin_count": (c_size, []),
    "pl_builtin_id": (c_str, [c_size]),
    "pl_builtin_title": (c_str, [c_size]),
    "pl_scenario_load_builtin": (c_int, [c_str, c_ptr, pp]),
    "pl_scenario_load_file": (c_int, [c_str, c_ptr, pp]),
    "pl_scenario_load_buffer": (c_int, [c_str, c_size, c_str, c_ptr, pp]),
    "pl_scenario_load_deu_file": (c_int, [c_str, c_str, c_ptr, pp, c_ptr]),
    "pl_scenario_free": (None, [c_ptr]),
    "pl_scenario_clone": (c_int, [c_ptr, pp]),
    "pl_scenario_id": (c_str, [c_ptr]),
    "pl_scenario_name": (c_str, [c_ptr]),
    "pl_scenario_n_issues": (c_size, [c_ptr]),
    "pl_whatif_set": (c_int, [c_ptr, c_str, c_str, c_ptr]),
    "pl_whatif_drop": (c_int, [c_ptr, c_str, c_str, c_ptr]),
    "pl_whatif_add": (c_int, [c_ptr, c_str, c_str, c_ptr]),
    "pl_report_scenario": (c_int, [c_ptr, c_int, P(c_ptr)]),
    "pl_eum_options_init": (None, [P(EumOptions), c_int]),
    "pl_forecast_options_init": (None, [P(ForecastOptions)]),
    "pl_forecast_run": (c_int, [c_ptr, P(ForecastOptions), pp]),
    "pl_forecast_free": (None, [c_ptr]),
    "pl_report_forecast": (c_int, [c_ptr, c_ptr, c_int, P(c_ptr)]),
    "pl_mc_options_init": (None, [P(McOptions)]),
    "pl_mc_model_from_name": (c_int, [c_str, P(c_int)]),
    "pl_mc_model_name": (c_str, [c_int]),
    "pl_mc_run": (c_int, [c_ptr, P(McOptions), pp]),
    "pl_mc_free": (None, [c_ptr]),
    "pl_mc_n_runs": (c_size, [c_ptr]),
    "pl_mc_values": (c_int, [c_ptr, c_size, c_int, P(c_dbl)]),
    "pl_report_mc": (c_int, [c_ptr, c_ptr, c_int, P(c_ptr)]),
    "pl_sensitivity_options_init": (None, [P(SensitivityOptions)]),
    "pl_model_from_name": (c_int, [c_str, P(c_int)]),
    "pl_sensitivity_run": (c_int, [c_ptr, c_int, P(SensitivityOptions), pp]),
    "pl_sensitivity_free": (None, [c_ptr]),
    "pl_report_sensitivity": (c_int, [c_ptr, c_ptr, c_size, c_int, P(c_ptr)]),
    "pl_smp_options_init": (None, [P(SmpOptions)]),
    "pl_smp_options_set": (c_int, [P(SmpOptions), c_str, c_str]),
    "pl_smp_data_from_scenario": (c_int, [c_ptr, c_int, c_ptr, pp]),
    "pl_smp_read_ktab_file": (c_int, [c_str, c_ptr, pp]),
    "pl_smp_data_free": (None, [c_ptr]),
    "pl_smp_run": (c_int, [c_ptr, P(SmpOptions), c_ptr, pp]),
    "pl_smp_result_free": (None, [c_ptr]),
    "pl_smp_report": (c_int, [c_ptr, c_ptr, c_int, c_uint, P(c_ptr)]),
    "pl_space_options_init": (None, [P(SpaceOptions)]),
    "pl_space_from_scenario": (c_int, [c_ptr, P(SpaceOptions), pp]),
    "pl_space_load_genius": (c_int, [c_str, P(c_str), c_size, P(SpaceOptions), c_ptr, pp]),
    "pl_space_load_genius_dir": (c_int, [c_str, P(SpaceOptions), c_ptr, pp]),
    "pl_space_free": (None, [c_ptr]),
    "pl_space_n_parties": (c_size, [c_ptr]),
    "pl_space_party": (c_str, [c_ptr, c_size]),
    "pl_deals_options_init": (None, [P(DealsOptions)]),
    "pl_deals_run": (c_int, [c_ptr, P(DealsOptions), c_ptr, pp]),
    "pl_deals_free": (None, [c_ptr]),
    "pl_report_deals": (c_int, [c_ptr, c_ptr, c_int, P(c_ptr)]),
    "pl_negotiate": (c_int, [c_ptr, P(c_str), c_size, P(NegotiateOptions), c_ptr, pp]),
    "pl_negotiation_free": (None, [c_ptr]),
    "pl_report_negotiation": (c_int, [c_ptr, c_ptr, c_ptr, c_int, P(c_ptr)]),
}

for _name, (_res, _args) in _SIGNATURES.items():
    _f = getattr(lib, _name)
    _f.restype = _res
    _f.argtypes = _args


def _check_layout(cls, init, *args, defaults=()):
    """Fill a mirror with the library's _init inside a larger buffer: the bytes
    past the mirror must stay as they were, the defaults must read back."""
    pad = 256
    raw = (ctypes.c_ubyte * (ctypes.sizeof(cls) + pad))(*([0xA5] * (ctypes.sizeof(cls) + pad)))
    init(ctypes.cast(raw, P(cls)), *args)
    if any(b != 0xA5 for b in raw[ctypes.sizeof(cls):]):
        raise ImportError("parley: %s in %s is larger than this module's mirror of it "
                          "(a library of another version?)" % (cls.__name__, path))
    obj = cls.from_buffer(raw)
    for field, want in defaults:
        got = obj
        for part in field.split("."):
            got = getattr(got, part)
        if got != want:
            raise ImportError("parley: %s.%s reads %r from %s, expected %r: the module's mirror "
                              "does not match the library" % (cls.__name__, field, got, path, want))


_check_layout(ForecastOptions, lib.pl_forecast_options_init,
              defaults=(("eum.max_rounds", 10), ("eum.q", 1.0), ("eum.progress", None)))
_check_layout(McOptions, lib.pl_mc_options_init,
              defaults=(("runs", 1000), ("seed", 1), ("bins", 10), ("n_threads", 0),
                        ("forecast.eum.max_rounds", 10), ("exact_bytes", 0), ("first_run", 0),
                        ("sweep_runs", 0), ("progress", None)))
_check_layout(SmpOptions, lib.pl_smp_options_init,
              defaults=(("max_turns", 100), ("min_turns", 2), ("stop_ratio", 0.02),
                        ("pos_tol", 0.1), ("voting", 2), ("progress", None)))
_check_layout(SensitivityOptions, lib.pl_sensitivity_options_init,
              defaults=(("forecast.eum.max_rounds", 10), ("progress", None), ("first", 0),
                        ("count", 0)))
_check_layout(SpaceOptions, lib.pl_space_options_init,
              defaults=(("grid_points", 5), ("real_step", 0.0), ("real_points", 11)))
_check_layout(DealsOptions, lib.pl_deals_options_init,
              defaults=(("max_outcomes", 10000000000), ("n_threads", 0), ("time", 0.0),
                        ("exhaustive", 0), ("progress", None)))
