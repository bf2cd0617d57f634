def _load_model(path):
    import tensorflow as tf
    try:  # a Keras model saved as SavedModel keeps .predict
        return tf.keras.models.load_model(path)
    except Exception:
        return tf.saved_model.load(path)


def _predict_rows(model, rows):
    import numpy as np
    import tensorflow as tf
    x = np.asarray(rows, dtype=np.float32)
    if hasattr(model, "predict"):
        return model.predict(x, verbose=0)
    serve = model.signatures["serving_default"]
    name = next(iter(serve.structured_input_signature[1]))
    outputs = serve(**{name: tf.constant(x)})
    return next(iter(outputs.values())).numpy()
