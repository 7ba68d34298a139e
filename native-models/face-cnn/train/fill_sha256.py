"""Fill manifest.json's sha256 with the sha256 of its model file:  /usr/bin/python3 fill_sha256.py <model dir>"""
import hashlib
import json
import os
import sys

d = sys.argv[1]
mp = os.path.join(d, 'manifest.json')
m = json.load(open(mp))
with open(os.path.join(d, m.get('file', 'model.onnx')), 'rb') as f:
    m['sha256'] = hashlib.sha256(f.read()).hexdigest()
with open(mp, 'w') as f:
    json.dump(m, f, indent=2)
    f.write('\n')
print(mp, m['sha256'])
