def _load_model(path):
    import torch
    if MODEL_FORMAT == "torchscript":
        model = torch.jit.load(path, map_location="cpu")
    else:
        try:  # torch >= 2.6 loads weights only by default; a whole nn.Module needs the full unpickler
            model = torch.load(path, map_location="cpu", weights_only=False)
        except TypeError:  # torch < 1.13 has no weights_only
            model = torch.load(path, map_location="cpu")
    model.eval()
    return model


def _predict_rows(model, rows):
    import torch
    dtype = torch.int64 if INPUT_SCHEMA is not None and INPUT_SCHEMA["type"] == "integer" else torch.float32
    with torch.no_grad():
        output = model(torch.as_tensor(rows, dtype=dtype))
    if isinstance(output, (tuple, list)):
        output = output[0]
    return output.detach().cpu().numpy()
