def _load_model(path):
    if MODEL_FORMAT == "joblib":
        import joblib
        return joblib.load(path)
    import pickle
    with open(path, "rb") as f:
        return pickle.load(f)


def _predict_rows(model, rows):
    import numpy as np
    numeric = INPUT_SCHEMA is None or (INPUT_SCHEMA["type"] in ("number", "integer") and not INPUT_SCHEMA.get("column_types"))
    names = getattr(model, "feature_names_in_", None)
    if names is not None:
        try:  # fitted on a DataFrame: give it one, so column names line up and no warning is printed
            import pandas as pd
            return model.predict(pd.DataFrame(rows, columns=list(names)))
        except ImportError:
            pass
    return model.predict(np.asarray(rows, dtype=float if numeric else object))
