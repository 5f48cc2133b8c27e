"""Loss-curve summary of a run: windowed means of loss.csv -> stdout (markdown) and JSON.

  /usr/bin/python3 training/summarize_run.py --run main [--json docs/style-net-loss.json]
"""
import argparse
import csv
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def summarize(path, windows=8):
    by_step = {}
    for r in csv.DictReader(open(path)):  # after --resume, re-run steps replace the lost ones
        by_step[int(r['step'])] = r
    rows = [by_step[k] for k in sorted(by_step)]
    keys = [k for k in rows[0] if k not in ('step', 'elapsed_s', 'crop', 'lr')]
    n = len(rows)
    edges = np.linspace(0, n, windows + 1).astype(int)
    out = []
    for a, b in zip(edges[:-1], edges[1:]):
        if b <= a:
            continue
        seg = rows[a:b]
        d = dict(steps='%d-%d' % (int(seg[0]['step']), int(seg[-1]['step'])),
                 minutes='%.0f-%.0f' % (float(seg[0]['elapsed_s']) / 60, float(seg[-1]['elapsed_s']) / 60),
                 crop=sorted({int(r['crop']) for r in seg}))
        for k in keys:
            d[k] = float(np.mean([float(r[k]) for r in seg]))
        out.append(d)
    return dict(steps=n, minutes=float(rows[-1]['elapsed_s']) / 60, windows=out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--run', default='main')
    ap.add_argument('--json', default='')
    a = ap.parse_args()
    s = summarize(os.path.join(HERE, 'runs', a.run, 'loss.csv'))
    print('%d steps, %.1f min' % (s['steps'], s['minutes']))
    print('| steps | minutes | crop | total | content | style | tv | stability |')
    print('| --- | --- | --- | --- | --- | --- | --- | --- |')
    for w in s['windows']:
        print('| %s | %s | %s | %.3f | %.3f | %.3f | %.4f | %.5f |' % (
            w['steps'], w['minutes'], ','.join(map(str, w['crop'])), w['total'], w['content'], w['style'], w['tv'], w['stab']))
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(s, f, indent=1)


if __name__ == '__main__':
    main()
