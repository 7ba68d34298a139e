"""Training-side helper shared by the models' export code (not part of the app): store an ONNX file's weights as float16.

  from onnx_fp16 import store_weights_fp16   (with native-models/ on sys.path)
"""
import os

import numpy as np


def store_weights_fp16(onnx_path: str, min_elements: int = 1024) -> dict:
    """Store large float32 initializers as float16 with a Cast back to float32 in front of their use.
    Arithmetic stays float32 (onnxruntime folds the casts when the session is created); the file halves.
    Returns {'tensors': n, 'bytesBefore': b0, 'bytesAfter': b1}."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(onnx_path)
    g = model.graph
    b0 = os.path.getsize(onnx_path)
    casts, kept, n = [], [], 0
    for init in g.initializer:
        if init.data_type == TensorProto.FLOAT and int(np.prod(init.dims)) >= min_elements:
            arr = numpy_helper.to_array(init).astype(np.float16)
            kept.append(numpy_helper.from_array(arr, init.name + '__fp16'))
            casts.append(helper.make_node('Cast', [init.name + '__fp16'], [init.name], to=TensorProto.FLOAT, name=init.name + '__cast'))
            n += 1
        else:
            kept.append(init)
    del g.initializer[:]
    g.initializer.extend(kept)
    nodes = casts + list(g.node)
    del g.node[:]
    g.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, onnx_path)
    return {'tensors': n, 'bytesBefore': b0, 'bytesAfter': os.path.getsize(onnx_path)}
