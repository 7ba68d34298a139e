"""Static int8 quantization of face-cnn's ONNX graph, written out by hand (onnxruntime's quantizer is a PyPI package).

  /usr/bin/python3 quantize_int8.py instrument <float model.onnx> <out instrumented.onnx>
      float32 copy of the graph whose every Conv/Add/Relu output is also a graph output (for calibrate-int8.ts)
  /usr/bin/python3 quantize_int8.py build <float model.onnx> <ranges.json> <out model.onnx>
      QDQ graph: activations uint8 (asymmetric, per tensor, ranges from calibration), Conv weights int8 (symmetric,
      per output channel), biases int32 (scale = input scale x weight scale). A Relu after a Conv or an Add is dropped:
      its output's QuantizeLinear has zero point 0, so it clamps at 0 exactly as the Relu did. onnxruntime fuses
      DequantizeLinear -> Conv/Add -> QuantizeLinear into QLinearConv/QLinearAdd at session load; global pooling and
      the two small fully-connected layers stay float.

  /usr/bin/python3 quantize_int8.py report <float model.onnx> <ranges.json> <float eval dir> <int8 eval dir> <version>
      quantization.json (float vs int8 through the engine on the validation split) and ../manifest.json (version,
      sha256, architecture, quantization block, metrics of the int8 model). Each eval dir holds eval.json and
      predictions.csv from `affect eval face --cropped --json --predictions`.

Every number comes from the float model and ranges.json; nothing is trained here. quantize.sh runs all of it.
"""
import csv
import hashlib
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def float_graph(path):
    """The model with its float16 initializers turned into float32 ones and the Casts that converted them removed."""
    m = onnx.load(path)
    g = m.graph
    inits = {i.name: i for i in g.initializer}
    keep, float_name = [], {}  # float16 initializer -> the float32 tensor its Cast made
    for n in g.node:
        if n.op_type == 'Cast' and n.input[0] in inits and inits[n.input[0]].data_type == TensorProto.FLOAT16:
            float_name[n.input[0]] = n.output[0]
        else:
            keep.append(n)
    new_inits = [numpy_helper.from_array(numpy_helper.to_array(i).astype(np.float32), float_name[i.name]) if i.name in float_name else i
                 for i in g.initializer]
    del g.node[:]
    g.node.extend(keep)
    del g.initializer[:]
    g.initializer.extend(new_inits)
    return m


def activation_names(g):
    return [o for n in g.node if n.op_type in ('Conv', 'Add', 'Relu') for o in n.output]


def instrument(src, dst):
    m = float_graph(src)
    g = m.graph
    for name in ['input'] + activation_names(g):
        if name not in [o.name for o in g.output] and name != 'input':
            g.output.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, None))
    onnx.save(m, dst)
    print(dst, len(g.output), 'outputs')


def uint8_params(lo, hi):
    lo, hi = min(lo, 0.0), max(hi, 0.0)
    scale = (hi - lo) / 255.0 or 1.0
    zp = int(round(-lo / scale))
    return np.float32(scale), np.uint8(min(255, max(0, zp)))


def build(src, ranges_path, dst):
    m = float_graph(src)
    g = m.graph
    ranges = json.load(open(ranges_path))['ranges']
    inits = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    consumers = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    nodes, new_inits = [], []
    act_scale = {}

    def qdq(name, lo, hi):
        """name -> Q -> DQ -> name + '_dq'; returns the dequantized name."""
        s, z = uint8_params(lo, hi)
        act_scale[name] = float(s)
        new_inits.append(numpy_helper.from_array(np.array(s, np.float32), name + '_scale'))
        new_inits.append(numpy_helper.from_array(np.array(z, np.uint8), name + '_zp'))
        nodes.append(helper.make_node('QuantizeLinear', [name, name + '_scale', name + '_zp'], [name + '_q']))
        nodes.append(helper.make_node('DequantizeLinear', [name + '_q', name + '_scale', name + '_zp'], [name + '_dq']))
        return name + '_dq'

    renamed = {'input': qdq('input', *ranges['input'])}
    dropped_relu = set()
    for n in g.node:
        ins = [renamed.get(i, i) for i in n.input]
        if n.op_type == 'Relu' and n.name in dropped_relu:
            continue
        if n.op_type in ('Conv', 'Add'):
            out = n.output[0]
            after = consumers.get(out, [])
            relu = after[0] if len(after) == 1 and after[0].op_type == 'Relu' else None
            if n.op_type == 'Conv':
                w = inits[n.input[1]]
                wmax = np.abs(w).reshape(w.shape[0], -1).max(axis=1)
                ws = np.where(wmax > 0, wmax / 127.0, 1.0).astype(np.float32)
                wq = np.clip(np.round(w / ws[:, None, None, None]), -127, 127).astype(np.int8)
                wn = n.input[1]
                new_inits += [numpy_helper.from_array(wq, wn + '_q'), numpy_helper.from_array(ws, wn + '_scale'),
                              numpy_helper.from_array(np.zeros(len(ws), np.int8), wn + '_zp')]
                nodes.append(helper.make_node('DequantizeLinear', [wn + '_q', wn + '_scale', wn + '_zp'], [wn + '_dq'], axis=0))
                ins[1] = wn + '_dq'
                if len(n.input) > 2:
                    bn = n.input[2]
                    bs = (ws * act_scale[n.input[0]]).astype(np.float32)
                    bq = np.round(inits[bn] / bs).astype(np.int32)
                    new_inits += [numpy_helper.from_array(bq, bn + '_q'), numpy_helper.from_array(bs, bn + '_scale'),
                                  numpy_helper.from_array(np.zeros(len(bs), np.int32), bn + '_zp')]
                    nodes.append(helper.make_node('DequantizeLinear', [bn + '_q', bn + '_scale', bn + '_zp'], [bn + '_dq'], axis=0))
                    ins[2] = bn + '_dq'
            if relu is not None:
                dropped_relu.add(relu.name)
                final = relu.output[0]
                lo, hi = 0.0, ranges[final][1]
            else:
                final = out
                lo, hi = ranges[out]
            nodes.append(helper.make_node(n.op_type, ins, [final], name=n.name, **{a.name: helper.get_attribute_value(a) for a in n.attribute}))
            renamed[final] = qdq(final, lo, hi)
            continue
        nodes.append(helper.make_node(n.op_type, ins, list(n.output), name=n.name, **{a.name: helper.get_attribute_value(a) for a in n.attribute}))
    for n in g.node:  # every Relu must have been folded into its producer's QuantizeLinear
        if n.op_type == 'Relu' and n.name not in dropped_relu:
            raise SystemExit(f'Relu {n.name} does not follow a Conv or an Add')
    used = {i for nd in nodes for i in nd.input}
    kept = [i for i in g.initializer if i.name in used]
    graph = helper.make_graph(nodes, g.name, list(g.input), list(g.output), initializer=kept + new_inits)
    out = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='affect-workstation quantize_int8.py')
    out.ir_version = m.ir_version
    onnx.checker.check_model(out)
    onnx.save(out, dst)
    print(dst, sum(1 for x in nodes if x.op_type == 'QuantizeLinear'), 'quantized activations')


def top_label_ece(rows, bins=15):
    """Expected calibration error of the top label's confidence (equal-width bins), from a predictions CSV."""
    acc = [[0, 0, 0.0] for _ in range(bins)]
    for r in rows:
        c = float(r['confidence'])
        b = acc[min(bins - 1, int(c * bins))]
        b[0] += 1
        b[1] += r['predicted'] == r['path'].split('/')[0]
        b[2] += c
    return sum(abs(right - conf) for _, right, conf in acc) / len(rows)


def sha256(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def report(float_path, ranges_path, float_dir, int8_dir, version):
    here = os.path.dirname(os.path.abspath(__file__))
    model_dir = os.path.join(here, '..')
    ev = {k: json.load(open(os.path.join(d, 'eval.json'))) for k, d in (('float', float_dir), ('int8', int8_dir))}
    pred = {k: list(csv.DictReader(open(os.path.join(d, 'predictions.csv')))) for k, d in (('float', float_dir), ('int8', int8_dir))}
    same = sum(a['predicted'] == b['predicted'] for a, b in zip(pred['float'], pred['int8']))
    assert [r['path'] for r in pred['float']] == [r['path'] for r in pred['int8']]
    cal = json.load(open(ranges_path))

    def summary(k):
        e = ev[k]
        return {'accuracy': e['accuracy'], 'macroF1': e['macroF1'], 'uar': e['uar'], 'ece': round(top_label_ece(pred[k]), 4),
                'imagesPerSecond': round(e['imagesPerSecond'], 1),
                'recall': {c: round(v['recall'], 4) for c, v in e['perClass'].items()}}
    q = {
        'n': ev['int8']['n'],
        'split': 'validation (train/split.json), through the engine: affect eval face --cropped --threads 1',
        'float': {**summary('float'), 'sha256': sha256(float_path), 'bytes': os.path.getsize(float_path)},
        'int8': {**summary('int8'), 'sha256': sha256(os.path.join(model_dir, 'model.onnx')),
                 'bytes': os.path.getsize(os.path.join(model_dir, 'model.onnx'))},
        'topLabelAgreement': round(same / len(pred['int8']), 4),
        'calibration': {'images': cal['images'], 'seed': cal['seed'], 'tensors': len(cal['ranges'])},
    }
    with open(os.path.join(here, 'quantization.json'), 'w') as f:
        json.dump(q, f, indent=1)
        f.write('\n')
    mp = os.path.join(model_dir, 'manifest.json')
    man = json.load(open(mp))
    arch = man['architecture'].split(', weights stored as float16')[0].split(', int8 weights')[0]
    man.update({
        'version': version,
        'sha256': q['int8']['sha256'],
        'architecture': arch + ', int8 weights and activations (static QDQ, quantized by us: train/quantize.sh)',
        'quantization': {
            'scheme': 'QDQ: activations uint8 per tensor (min/max calibration), Conv weights int8 symmetric per output channel, biases int32',
            'calibrationImages': cal['images'], 'calibrationSeed': cal['seed'], 'calibrationSource': 'FER2013 training split (train/split.json)',
            'floatModelSha256': q['float']['sha256'],
        },
        'metrics': {'split': 'validation (train/split.json), engine (affect eval face --cropped)', 'n': q['n'],
                    'accuracy': round(q['int8']['accuracy'], 4), 'macroF1': round(q['int8']['macroF1'], 4), 'uar': round(q['int8']['uar'], 4),
                    'ece': q['int8']['ece'], 'float': {'accuracy': round(q['float']['accuracy'], 4), 'uar': round(q['float']['uar'], 4)}},
    })
    with open(mp, 'w') as f:
        json.dump(man, f, indent=2)
        f.write('\n')
    print(f"int8 {q['int8']['accuracy']:.4f} vs float {q['float']['accuracy']:.4f} accuracy; top label agrees on {q['topLabelAgreement']:.2%}")


if __name__ == '__main__':
    if sys.argv[1] == 'instrument':
        instrument(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == 'build':
        build(sys.argv[2], sys.argv[3], sys.argv[4])
    elif sys.argv[1] == 'report':
        report(*sys.argv[2:7])
    else:
        raise SystemExit(__doc__)
