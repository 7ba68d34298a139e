"""Does the crop's vertical offset help? Runs `affect eval face` on the validation split WITHOUT --cropped (BlazeFace finds
each face, the engine crops it with the manifest's crop spec) twice: offsetY 0 and the measured offset from
crop_measurement.json; everything else is the model as shipped. Writes crop_validation.json.

  cd native-models/face-cnn/train && /usr/bin/python3 link_split.py /tmp/fer-val && /usr/bin/python3 validate_crop.py /tmp/fer-val
(crop_validation.json as committed was measured with face-cnn 1.1.0's weights, before the offset was adopted.)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, '..')
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
val_dir = sys.argv[1]
measured = round(json.load(open(os.path.join(HERE, 'crop_measurement.json')))['yOffsetOfFerCropCentre'], 3)
manifest = json.load(open(os.path.join(MODEL, 'manifest.json')))
runs = {}
with tempfile.TemporaryDirectory() as tmp:
    for off in (0.0, measured):
        d = os.path.join(tmp, f'offset{off}')
        os.makedirs(d)
        shutil.copy(os.path.join(MODEL, 'model.onnx'), d)
        json.dump({**manifest, 'crop': {**manifest['crop'], 'offsetY': off}}, open(os.path.join(d, 'manifest.json'), 'w'))
        r = json.loads(subprocess.run(['node', os.path.join(ROOT, 'bin', 'affect.mjs'), 'eval', 'face', val_dir, '--model', d, '--json'],
                                      check=True, capture_output=True, text=True).stdout)
        runs[f'offsetY {off:g}'] = {'offsetY': off, 'n': r['n'], 'accuracy': round(r['accuracy'], 4), 'macroF1': round(r['macroF1'], 4),
                                   'uar': round(r['uar'], 4), 'noFaceDetected': r['noFaceDetected'], 'noFaceFallback': r['noFaceFallback']}
        print(json.dumps(runs[f'offsetY {off:g}']), flush=True)
what = (f'`affect eval face <val dir>` WITHOUT --cropped: BlazeFace finds the face in each 48x48 validation image, the engine crops it '
        f'with the manifest crop spec and classifies it; {manifest["id"]} {manifest["version"]} weights, margin {manifest["crop"]["margin"]}, '
        f'square; only offsetY differs (validate_crop.py).')
json.dump({'what': what, 'runs': runs}, open(os.path.join(HERE, 'crop_validation.json'), 'w'), indent=1)
