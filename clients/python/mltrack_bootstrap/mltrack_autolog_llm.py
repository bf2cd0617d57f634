"""LLM client autolog (OpenAI, Anthropic): per call, metrics ``llm/prompt_tokens``, ``llm/completion_tokens`` and
``llm/cost_usd`` (from PRICES, USD per million tokens, matched by the longest model-name prefix; override or extend
with MLTRACK_LLM_PRICES='{"model-prefix": {"input": 2.5, "output": 10}}' or '{"model": [2.5, 10]}')."""
import functools
import importlib
import inspect
import json
import os
import threading

PRICES = {  # USD per 1M tokens: (input, output)
    "gpt-4o-mini": (0.15, 0.60), "gpt-4o": (2.50, 10.00), "gpt-4.1-nano": (0.10, 0.40), "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00), "gpt-4-turbo": (10.00, 30.00), "gpt-4": (30.00, 60.00), "gpt-3.5-turbo": (0.50, 1.50),
    "o1-mini": (1.10, 4.40), "o1": (15.00, 60.00), "o3-mini": (1.10, 4.40), "o3": (2.00, 8.00), "o4-mini": (1.10, 4.40),
    "text-embedding-3-small": (0.02, 0.0), "text-embedding-3-large": (0.13, 0.0),
    "claude-3-5-haiku": (0.80, 4.00), "claude-3-haiku": (0.25, 1.25), "claude-3-5-sonnet": (3.00, 15.00),
    "claude-3-7-sonnet": (3.00, 15.00), "claude-sonnet-4": (3.00, 15.00), "claude-3-opus": (15.00, 75.00),
    "claude-opus-4": (15.00, 75.00), "claude-haiku-4": (1.00, 5.00),
}

_lock = threading.Lock()
_calls = [0]


def prices() -> dict:
    table = dict(PRICES)
    raw = os.environ.get("MLTRACK_LLM_PRICES")
    if raw:
        data = json.loads(raw)
        for model, p in data.items():
            if isinstance(p, dict):
                table[model] = (float(p.get("input", 0)), float(p.get("output", 0)))
            else:
                table[model] = (float(p[0]), float(p[1]))
    return table


def cost_usd(model, prompt_tokens, completion_tokens, table=None):
    """Cost of a call, or None when the model is not in the price table."""
    if not model:
        return None
    table = table if table is not None else prices()
    best = None
    for prefix in table:
        if model.startswith(prefix) and (best is None or len(prefix) > len(best)):
            best = prefix
    if best is None:
        return None
    pin, pout = table[best]
    return (prompt_tokens * pin + completion_tokens * pout) / 1_000_000


def _get(obj, name):
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def usage_of(response):
    """(prompt_tokens, completion_tokens) from an OpenAI or Anthropic response; None when it has no usage."""
    usage = _get(response, "usage")
    if usage is None:
        return None
    prompt = _get(usage, "prompt_tokens")
    if prompt is None:
        prompt = _get(usage, "input_tokens")
    completion = _get(usage, "completion_tokens")
    if completion is None:
        completion = _get(usage, "output_tokens")
    if prompt is None and completion is None:
        return None
    return int(prompt or 0), int(completion or 0)


def record(state, response, kwargs) -> None:
    u = usage_of(response)
    if u is None:
        return
    model = kwargs.get("model") or _get(response, "model")
    with _lock:
        step = _calls[0]
        _calls[0] += 1
    metrics = {"llm/prompt_tokens": u[0], "llm/completion_tokens": u[1]}
    cost = cost_usd(str(model) if model else None, u[0], u[1])
    if cost is not None:
        metrics["llm/cost_usd"] = cost
    state.client.log_metrics(state.run_id_now(), metrics, step=step)


def wrap_method(cls, name, state) -> bool:
    raw = cls.__dict__.get(name)
    if raw is None:
        return False
    kind = type(raw) if isinstance(raw, (staticmethod, classmethod)) else None
    fn = raw.__func__ if kind is not None else raw
    if not callable(fn) or getattr(fn, "_mltrack_wrapped", False):
        return False

    def after(result, kwargs):
        try:
            record(state, result, kwargs)
        except Exception as e:
            state.warn(f"LLM autolog failed for {cls.__name__}.{name}", e)
        return result

    if inspect.iscoroutinefunction(fn):
        @functools.wraps(fn)
        async def wrapper(*args, **kwargs):
            return after(await fn(*args, **kwargs), kwargs)
    else:
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return after(fn(*args, **kwargs), kwargs)
    wrapper._mltrack_wrapped = True
    setattr(cls, name, kind(wrapper) if kind is not None else wrapper)
    return True


def _resolve(top, dotted):
    obj = top
    for part in dotted.split("."):
        nxt = getattr(obj, part, None)
        if nxt is None and inspect.ismodule(obj):
            try:
                nxt = importlib.import_module(obj.__name__ + "." + part)
            except Exception:
                nxt = None
        if nxt is None:
            return None
        obj = nxt
    return obj


OPENAI_TARGETS = [
    "resources.chat.completions.Completions", "resources.chat.completions.AsyncCompletions",
    "resources.completions.Completions", "resources.completions.AsyncCompletions",
    "resources.responses.Responses", "resources.responses.AsyncResponses",
    "resources.embeddings.Embeddings", "resources.embeddings.AsyncEmbeddings",
    "ChatCompletion", "Completion",  # openai < 1.0 (classmethods)
]
ANTHROPIC_TARGETS = [
    "resources.messages.Messages", "resources.messages.AsyncMessages",
    "resources.completions.Completions", "resources.completions.AsyncCompletions",
]


def _patch(top, targets, state) -> int:
    n = 0
    for dotted in targets:
        cls = _resolve(top, dotted)
        if isinstance(cls, type) and wrap_method(cls, "create", state):
            n += 1
    return n


def patch_openai(module, state) -> int:
    return _patch(module, OPENAI_TARGETS, state)


def patch_anthropic(module, state) -> int:
    return _patch(module, ANTHROPIC_TARGETS, state)
