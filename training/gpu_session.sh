#!/bin/bash
# Train on a lent GPU machine in slices (a call runs <= 10 min; the machine goes back 30 s after one).
#   start MINUTES : pack check, then three runs under setsid (they outlive the call), watch them ~9 min
#   watch SECONDS : keep watching (the runs go on), then bring back each run's files
# Each watch ends by writing $OUT/<run>.tar.gz (ckpt.pt, loss.csv, log.txt, hparams.json, final.pt if done).
# Needs training/cache/gpu (training/pack_gpu.py) and training/runs/shipped1/final.pt carried.
# SET=v3 (version 3, structure): three fine-tunes of version 2 side by side, a control and two structure terms;
# needs training/runs/v2/final.pt carried (training/export.py --restore-ckpt training/runs/v2/final.pt).
set -u
cd "$(dirname "$0")/.."
PY=${PY:-python3}
SET=${SET:-v2}
RUNS="v2a v2b v1ft"
[ "$SET" = v3 ] && RUNS="g3ctl g3lap g3res2"
V3="--arch v2 --style-weight 2 --init-from training/runs/v2/final.pt --lr 3e-4"
COMMON="--data training/cache/gpu/data --lossnet training/cache/gpu/resnet50_upto_res4_f16.pt --threads 4 \
  --batch 8 --phases 256:0.8,320:0.2 --lr 1e-3 --lr-final 3e-4 --style-stat covmean \
  --style-layers conv1:1,res2:1,res3:1,res4:1 --style-sizes 384,512 --ckpt-minutes 1 --snapshot-every 0"
args_for() {
  case $1 in
    v2a) echo "--arch v2 --style-weight 2" ;;
    v2b) echo "--arch v2 --style-weight 4" ;;
    v1ft) echo "--arch v1 --style-weight 2 --init-from training/runs/shipped1/final.pt" ;;
    g3ctl) echo "$V3" ;;
    g3lap) echo "$V3 --lap-weight ${LAP_W:-1} --lap-pool 4" ;;
    g3res2) echo "$V3 --content-extra res2:${RES2_W:-1}" ;;
  esac
}
bring_back() {
  for r in $RUNS; do
    d=training/runs/$r
    [ -d $d ] || continue
    tar czf "$OUT/$r.tar.gz" -C training/runs $r/ckpt.pt $r/loss.csv $r/log.txt $r/hparams.json $( [ -f $d/final.pt ] && echo $r/final.pt ) 2>/dev/null
  done
  ls -la "$OUT"
}
watch() {
  local until=$(( $(date +%s) + $1 ))
  while [ $(date +%s) -lt $until ]; do
    sleep 20
    alive=$(pgrep -fc "training/train.py" || true)
    [ "$alive" = "0" ] && break
  done
  for r in $RUNS; do echo "== $r"; tail -n 2 training/runs/$r/log.txt; done
  nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv
  bring_back
}
case $1 in
  start)
    nvidia-smi -L; $PY -c "import torch; print(torch.__version__, torch.cuda.is_available())"
    for r in $RUNS; do
      mkdir -p training/runs/$r
      resume=""; [ -f training/runs/$r/ckpt.pt ] && resume="--resume"
      setsid nohup $PY training/train.py --name $r $COMMON $(args_for $r) --max-minutes $2 $resume \
        >> training/runs/$r/log.txt 2>&1 < /dev/null &
    done
    sleep 75
    for r in $RUNS; do echo "== $r"; tail -n 4 training/runs/$r/log.txt; done
    alive=$(pgrep -fc "training/train.py" || true); echo "alive: $alive"
    [ "$alive" = "3" ] || { bring_back; exit 1; }
    watch $(( ${3:-480} ))
    ;;
  watch) watch $2 ;;
esac
