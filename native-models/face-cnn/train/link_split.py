"""Make <out>/<class>/<file> symlinks to the validation (or train) images of split.json, for `affect eval face`.

  /usr/bin/python3 link_split.py /tmp/fer-val [val|train]
Nothing is copied; never point <out> inside the repository.
"""
import os
import sys

from data import data_dir, get_split

out = sys.argv[1]
part = sys.argv[2] if len(sys.argv) > 2 else 'val'
root = data_dir()
for rel in get_split(root)[part]:
    dst = os.path.join(out, rel)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if not os.path.lexists(dst):
        os.symlink(os.path.join(root, 'train', rel), dst)
print(out, len(get_split(root)[part]))
