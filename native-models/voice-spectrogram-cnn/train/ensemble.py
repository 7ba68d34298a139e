"""An ensemble run: the probability average of finished runs' models, scored, summarised and exported exactly as
train.py does for one network, so write_manifest.py, eval_folds.py, input_check.py and summarize_runs.py take its name
like any run's.

  /usr/bin/python3 ensemble.py cv    --run cv-ens    --members cv-a,cv-b        score the average of each fold's models
  /usr/bin/python3 ensemble.py loco  --run loco-ens  --members loco-a,loco-b
  /usr/bin/python3 ensemble.py final --run final-ens --members final-a,final-b  export runs/final-ens/model.onnx

Every member must have finished the same folds (runs/<member>/<mode><k>.pt) on the same corpora and normalisation.
The members' own fold figures are printed beside the ensemble's. An ensemble run's <mode>-args.json names its members;
load_model() builds a VoiceEnsemble from it, and a plain VoiceCnn from any other run.
"""
import argparse
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

from train import RUNS, VoiceCnn, evaluate, export_onnx, folds_for, summarize
from voicedata import Data

# Options every member must share: the data the folds are cut from and what the graph does to its input.
SHARED_ARGS = ('corpora', 'norm', 'time_pool', 'pool')


class AverageHead(nn.Module):
    """Reads the members' concatenated embeddings: each member's head on its own slice, softmax, mean over members,
    log. The output stays a `logits` the engine's softmax turns back into exactly the averaged probabilities."""

    def __init__(self, heads):
        super().__init__()
        self.heads = nn.ModuleList(heads)
        self.sizes = [h.in_features for h in heads]
        self.in_features = sum(self.sizes)

    def forward(self, h):
        parts = torch.split(h, self.sizes, dim=1)
        p = torch.stack([F.softmax(head(x), dim=1) for head, x in zip(self.heads, parts)]).mean(0)
        return torch.log(p.clamp_min(1e-30))


class VoiceEnsemble(nn.Module):
    """Several VoiceCnn on the same log-mel window; `embed` is their embeddings side by side (the input check fits on
    it), `head` averages their probabilities. Same interface as VoiceCnn, so every script that scores or exports one
    network takes it."""

    def __init__(self, members):
        super().__init__()
        self.members = nn.ModuleList(members)
        self.head = AverageHead([m.head for m in members])
        self.dropout = nn.Identity()

    def embed(self, x):
        return torch.cat([m.embed(x) for m in self.members], dim=1)

    def forward(self, x):
        return self.head(self.embed(x))


def args_of(run, ckpt):
    """runs/<run>/<mode>-args.json for a checkpoint name: cv3 -> cv-args.json, final -> final-args.json."""
    return json.load(open(os.path.join(RUNS, run, f'{ckpt.rstrip("0123456789")}-args.json')))


def load_model(data, run, ckpt):
    """The trained model of one fold (`cv3`, `loco1`) or the final one (`final`) of a run, in eval mode."""
    args = args_of(run, ckpt)
    if 'members' in args:
        return VoiceEnsemble([load_model(data, m, ckpt) for m in args['members']]).eval()
    model = VoiceCnn(len(data.labels), args['width'], args['norm'], 0.0, 1.0, args['time_pool'], data.floor_value, args.get('pool', 'plain'))
    model.load_state_dict(torch.load(os.path.join(RUNS, run, f'{ckpt}.pt'))['model'])  # normalisation buffers come with it
    return model.eval()


def ensemble_args(mode, run, members):
    margs = [json.load(open(os.path.join(RUNS, m, f'{mode}-args.json'))) for m in members]
    for m, a in zip(members[1:], margs[1:]):
        differ = [k for k in SHARED_ARGS if a.get(k) != margs[0].get(k)]
        if differ:
            raise SystemExit(f'{m}: {", ".join(differ)} differ from {members[0]}; an ensemble averages models of the same data and input')
    return {'mode': mode, 'run': run, 'members': members, **{k: margs[0].get(k) for k in SHARED_ARGS},
            'width': [a['width'] for a in margs], 'memberArgs': dict(zip(members, margs))}


def main():
    p = argparse.ArgumentParser()
    p.add_argument('mode', choices=['cv', 'loco', 'final'])
    p.add_argument('--run', required=True)
    p.add_argument('--members', required=True, help='comma-separated finished runs of the same mode')
    a = p.parse_args()
    torch.set_num_threads(1)
    members = a.members.split(',')
    args = ensemble_args(a.mode, a.run, members)
    run_dir = os.path.join(RUNS, a.run)
    os.makedirs(run_dir, exist_ok=True)
    with open(os.path.join(run_dir, f'{a.mode}-args.json'), 'w') as f:
        json.dump(args, f, indent=1)
    corpora = args['corpora'].split(',')
    data = Data(corpora, speaker_norm=args['norm'] == 'spk')
    if a.mode == 'final':
        model = load_model(data, a.run, 'final')
        export_onnx(model, data.n_mels, data.fpw, os.path.join(run_dir, 'model.onnx'))
        first = json.load(open(os.path.join(RUNS, members[0], 'final.json')))
        json.dump({**first, 'args': args}, open(os.path.join(run_dir, 'final.json'), 'w'), indent=1)
        print(f'exported {run_dir}/model.onnx (ship it with write_manifest.py --run {a.run})')
        return
    results = []
    log = lambda msg: print(msg, flush=True)
    for k, (name, _, test_ids) in enumerate(folds_for(a.mode, data, corpora)):
        mres = [json.load(open(os.path.join(RUNS, m, f'{a.mode}{k}.json'))) for m in members]
        ev = evaluate(load_model(data, a.run, f'{a.mode}{k}'), data, test_ids)
        res = {'fold': k, 'name': name, 'testCorpus': mres[0]['testCorpus'], 'testSpeakers': mres[0]['testSpeakers'],
               'testPaths': mres[0]['testPaths'], **ev}
        json.dump(res, open(os.path.join(run_dir, f'{a.mode}{k}.json'), 'w'), indent=1)
        log(f'fold {k} ({name}), clean UAR all labels / shared four: ' + '; '.join(
            f'{n} {r["clean"]["open"]["uar"]:.3f} / {r["clean"]["shared"]["uar"]:.3f}' for n, r in [*zip(members, mres), ('ensemble', res)]))
        results.append(res)
    summarize(results, data.labels, run_dir, a.mode, log)


if __name__ == '__main__':
    main()
