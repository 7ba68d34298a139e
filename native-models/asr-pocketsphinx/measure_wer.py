"""Word error rate of PocketSphinx (Debian packages pocketsphinx + pocketsphinx-en-us 0.8+5prealpha, the
en-us continuous acoustic model, en-us.lm.bin 3-gram LM, cmudict) on speech with known text.

  RAVDESS (../shared/datasets/ravdess-speech): 80 files, every actor (01-20) in 4 of the 8 emotions (10 files
  per emotion), normal intensity, first repetition, statement 1 or 2 alternating; the reference is the statement
  ("kids are talking by the door" / "dogs are sitting by the door").
  Optional: --extra DIR with *.wav/*.flac files and a same-named .txt reference each (e.g. synthetic speech).

  /usr/bin/python3 measure_wer.py [--out wer.json] [--limit N]
Writes per-file hypotheses and WER (overall, per emotion) to the JSON. Runs nice'd, one file at a time.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RAVDESS = os.path.abspath(os.path.join(HERE, "../../../shared/datasets/ravdess-speech"))
MODEL = "/usr/share/pocketsphinx/model/en-us"
STATEMENTS = {"01": "kids are talking by the door", "02": "dogs are sitting by the door"}
EMOTIONS = {"01": "neutral", "02": "calm", "03": "happy", "04": "sad", "05": "angry", "06": "fearful", "07": "disgust", "08": "surprised"}


def words(text):
    text = re.sub(r"\(\d+\)", "", text.lower())
    return [w for w in re.findall(r"[a-z']+", text) if w not in ("s", "sil")]


def edit_distance(ref, hyp):
    d = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, d[0] = d[0], i
        for j, h in enumerate(hyp, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (r != h))
    return d[len(hyp)]


def recognise(audio):
    with tempfile.TemporaryDirectory() as tmp:
        wav = os.path.join(tmp, "a.wav")
        subprocess.run(["nice", "-n", "10", "ffmpeg", "-v", "error", "-i", audio, "-ac", "1", "-ar", "16000", "-sample_fmt", "s16", wav], check=True)
        t0 = time.time()
        out = subprocess.run(
            ["nice", "-n", "10", "pocketsphinx_continuous", "-infile", wav, "-hmm", f"{MODEL}/en-us", "-lm", f"{MODEL}/en-us.lm.bin",
             "-dict", f"{MODEL}/cmudict-en-us.dict", "-logfn", "/dev/null"],
            check=True, capture_output=True, text=True)
        cpu = time.time() - t0
        dur = float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", wav], capture_output=True, text=True).stdout.strip())
    return " ".join(l.strip() for l in out.stdout.splitlines() if l.strip()), cpu, dur


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "wer.json"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--extra", help="folder of audio files with same-named .txt references")
    args = ap.parse_args()
    items = []
    with open(os.path.join(RAVDESS, "labels.csv")) as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        parts = os.path.basename(r["path"]).split(".")[0].split("-")
        emotion, intensity, statement, rep, actor = parts[2], parts[3], parts[4], parts[5], int(parts[6])
        want = "01" if (actor // 2 + int(emotion)) % 2 == 0 else "02"
        if (actor + int(emotion)) % 2 == 0 and intensity == "01" and rep == "01" and statement == want:
            items.append({"corpus": "ravdess", "path": os.path.join(RAVDESS, r["path"]), "emotion": EMOTIONS[emotion], "reference": STATEMENTS[statement]})
    if args.extra:
        for name in sorted(os.listdir(args.extra)):
            stem, ext = os.path.splitext(name)
            if ext in (".wav", ".flac") and os.path.exists(os.path.join(args.extra, stem + ".txt")):
                with open(os.path.join(args.extra, stem + ".txt")) as f:
                    items.append({"corpus": os.path.basename(os.path.normpath(args.extra)), "path": os.path.join(args.extra, name), "emotion": None, "reference": f.read().strip()})
    if args.limit:
        items = items[: args.limit]
    results = []
    done_file = args.out + ".partial.jsonl"  # per-file results so far: a stopped run resumes where it was
    done = {}
    if os.path.exists(done_file):
        with open(done_file) as f:
            for line in f:
                d = json.loads(line)
                done[d["key"]] = d
    for k, it in enumerate(items, 1):
        key = os.path.abspath(it["path"])
        if key in done:
            hyp, cpu, dur = done[key]["hyp"], done[key]["cpu"], done[key]["dur"]
        else:
            hyp, cpu, dur = recognise(it["path"])
            with open(done_file, "a") as f:
                f.write(json.dumps({"key": key, "hyp": hyp, "cpu": cpu, "dur": dur}) + "\n")
        ref_w, hyp_w = words(it["reference"]), words(hyp)
        errors = edit_distance(ref_w, hyp_w)
        shown = os.path.relpath(it["path"], os.path.join(HERE, "../../..")) if it["corpus"] == "ravdess" else f"{it['corpus']}/{os.path.basename(it['path'])}"
        results.append({**it, "path": shown, "hypothesis": hyp, "refWords": len(ref_w), "errors": errors, "seconds": round(dur, 2), "cpuSeconds": round(cpu, 2)})
        print(f"{k}/{len(items)} {os.path.basename(it['path'])} errors {errors}/{len(ref_w)}: {hyp!r}", flush=True)

    def wer(rs):
        n = sum(r["refWords"] for r in rs)
        return round(sum(r["errors"] for r in rs) / n, 4) if n else None

    summary = {"engine": "pocketsphinx_continuous 0.8+5prealpha (Debian), en-us acoustic model, en-us.lm.bin, cmudict-en-us.dict",
               "byCorpus": {c: {"files": len([r for r in results if r["corpus"] == c]), "wer": wer([r for r in results if r["corpus"] == c]),
                                "sentencesExactlyRight": sum(1 for r in results if r["corpus"] == c and r["errors"] == 0)}
                            for c in sorted({r["corpus"] for r in results})},
               "ravdessByEmotion": {e: wer([r for r in results if r["emotion"] == e]) for e in EMOTIONS.values()},
               "realTimeFactor": round(sum(r["cpuSeconds"] for r in results) / max(1e-9, sum(r["seconds"] for r in results)), 3),
               "results": results}
    with open(args.out, "w") as f:
        json.dump(summary, f, indent=1)
    os.remove(done_file)
    print(json.dumps({k: v for k, v in summary.items() if k != "results"}, indent=1))


if __name__ == "__main__":
    main()
