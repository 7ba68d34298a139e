"""Markdown tables shared by the face model cards (face-cnn/train/make_card.py, face-resnet50/train/make_card.py)."""


def pct(x: float) -> str:
    return f'{100 * x:.1f}%'


def per_class_table(m: dict) -> str:
    rows = ['| class | n | precision | recall | F1 |', '|---|---:|---:|---:|---:|']
    for c, v in m['perClass'].items():
        rows.append(f'| {c} | {v["n"]} | {pct(v["precision"])} | {pct(v["recall"])} | {pct(v["f1"])} |')
    return '\n'.join(rows)


def confusion_table(m: dict) -> str:
    cls = m['classes'] if 'classes' in m else m['confusion']['labels']
    mat = m['confusion'] if isinstance(m['confusion'], list) else m['confusion']['matrix']
    rows = ['| true \\ predicted | ' + ' | '.join(cls) + ' |', '|---|' + '---:|' * len(cls)]
    for c, r in zip(cls, mat):
        rows.append(f'| **{c}** | ' + ' | '.join(str(v) for v in r) + ' |')
    return '\n'.join(rows)


def coverage_table(report: dict) -> str:
    lines = ['| abstainBelow | images labelled | accuracy of those |', '|---:|---:|---:|']
    lines += [f"| {r['abstainBelow']} | {pct(r['coverage'])} | {pct(r['accuracyOfKept'])} |" for r in report['coverageTable']]
    return '\n'.join(lines)


def history_table(report: dict) -> str:
    lines = ['| stage | epoch | lr (end) | train loss | train acc (augmented) | val acc | wall s | CPU s |',
             '|---:|---:|---:|---:|---:|---:|---:|---:|']
    several = len({h.get('member', 1) for h in report['history']}) > 1
    stage = lambda h: f'{"ABCDEFGH"[h["member"] - 1]}{h.get("stage", 1)}' if several else str(h.get('stage', 1))
    hist = report['history']
    if len(hist) > 60:  # long runs: every 5th epoch and each run's last
        last = {(h.get('member', 1), h.get('stage', 1)): h['epoch'] for h in hist}
        hist = [h for h in hist if h['epoch'] % 5 == 0 or last[(h.get('member', 1), h.get('stage', 1))] == h['epoch']]
    lines += [f'| {stage(h)} | {h["epoch"]} | {h["lr"]:.4f} | {h["train_loss"]:.3f} | {pct(h["train_acc"])} | {pct(h["val_acc"])} | '
              f'{h["wall_s"]:.0f} | {h["cpu_s"]:.0f} |' for h in hist]
    return '\n'.join(lines)
