"""PyTorch autolog: ``torch.optim.Optimizer.__init__`` records the optimizer class, its hyper-parameters
(``optimizer.lr``, ``optimizer.momentum`` …) and the number of parameters it trains (``model_parameter_count``)."""
import functools


def patch(optimizer_module, state) -> None:
    Opt = optimizer_module.Optimizer
    orig = Opt.__dict__.get("__init__")
    if orig is None or getattr(orig, "_mltrack_wrapped", False):
        return

    @functools.wraps(orig)
    def __init__(self, *args, **kwargs):
        orig(self, *args, **kwargs)
        try:
            after_init(self, state)
        except Exception as e:
            state.warn(f"PyTorch autolog failed for {type(self).__name__}", e)

    __init__._mltrack_wrapped = True
    Opt.__init__ = __init__


def after_init(opt, state) -> None:
    if getattr(opt, "_mltrack_logged", False):
        return
    opt._mltrack_logged = True
    params = {"optimizer": type(opt).__name__}
    for k, v in (getattr(opt, "defaults", None) or {}).items():
        if v is None or isinstance(v, (bool, int, float, str, tuple, list)):
            params[f"optimizer.{k}"] = v
    count = 0
    for group in getattr(opt, "param_groups", []) or []:
        for p in group.get("params", []):
            try:
                count += int(p.numel())
            except Exception:
                pass
    params["model_parameter_count"] = count
    state.log_params(params)
