"""scikit-learn autolog: every estimator class gets a wrapped ``fit`` (installed through
``BaseEstimator.__init_subclass__`` for classes defined later, and on existing subclasses at once). An outermost fit
records the estimator class and ``get_params()`` as params, ``score(X, y)`` on the training data as ``training_score``,
and the fitted model (with a few training rows as ``input_example.json``) via log_model."""
import functools
import threading

_local = threading.local()


def _all_subclasses(cls):
    seen, todo = set(), [cls]
    while todo:
        c = todo.pop()
        for s in c.__subclasses__():
            if s not in seen:
                seen.add(s)
                todo.append(s)
    return seen


def public_class_name(cls) -> str:
    parts = [p for p in (cls.__module__ or "").split(".")]
    public = []
    for p in parts:
        if p.startswith("_"):
            break
        public.append(p)
    return ".".join(public + [cls.__qualname__])


def patch(base_module, state) -> None:
    BE = base_module.BaseEstimator
    if BE.__dict__.get("_mltrack_patched"):
        return
    orig = BE.__dict__.get("__init_subclass__")

    def __init_subclass__(cls, **kwargs):
        if orig is not None:
            orig.__func__(cls, **kwargs)
        else:
            super(BE, cls).__init_subclass__(**kwargs)
        try:
            wrap_fit(cls, state)
        except Exception as e:
            state.warn(f"scikit-learn autolog could not patch {cls.__name__}", e)

    BE.__init_subclass__ = classmethod(__init_subclass__)
    BE._mltrack_patched = True
    for sub in _all_subclasses(BE):
        wrap_fit(sub, state)


def wrap_fit(cls, state) -> None:
    fit = cls.__dict__.get("fit")
    if fit is None or not callable(fit) or isinstance(fit, (staticmethod, classmethod)) or getattr(fit, "_mltrack_wrapped", False):
        return

    @functools.wraps(fit)
    def wrapped(self, *args, **kwargs):
        depth = getattr(_local, "depth", 0)
        _local.depth = depth + 1
        try:
            result = fit(self, *args, **kwargs)
        finally:
            _local.depth = depth
        if depth == 0:  # an outermost fit: not a pipeline step, ensemble member or search candidate
            _local.depth = 1  # score() and saving must not re-enter
            try:
                after_fit(self, args, kwargs, state)
            except Exception as e:
                state.warn(f"scikit-learn autolog failed for {type(self).__name__}", e)
            finally:
                _local.depth = depth
        return result

    wrapped._mltrack_wrapped = True
    setattr(cls, "fit", wrapped)


def after_fit(est, args, kwargs, state) -> None:
    from mltrack import _models
    X = args[0] if args else kwargs.get("X")
    y = args[1] if len(args) > 1 else kwargs.get("y")
    client = state.client
    run_id = state.run_id_now()
    params = {"estimator_class": public_class_name(type(est))}
    try:
        params.update(est.get_params(deep=True))
    except Exception as e:
        state.warn("get_params failed", e)
    state.log_params(params)
    if y is not None and callable(getattr(est, "score", None)) and X is not None:
        try:
            client.log_metric(run_id, "training_score", float(est.score(X, y)))
        except Exception as e:
            state.warn(f"training score of {type(est).__name__} failed", e)
    tags = {}
    shape = getattr(X, "shape", None)
    if shape is not None:
        tags["mltrack.training_data.shape"] = str(tuple(int(s) for s in shape))
    columns = getattr(X, "columns", None)
    if columns is not None:
        tags["mltrack.training_data.columns"] = ", ".join(str(c) for c in list(columns))[:5000]
    if tags:
        client.set_tags(run_id, tags)
    if _models.is_model(est):
        _models.log_model(est, input_example=X, run_id=run_id)
