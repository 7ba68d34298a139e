#!/bin/bash
# Analyse a folder of recordings on a cluster: one Slurm array task per shard, each into its own
# database, then merge. Submit from the repository root after `npm ci`:
#   RECORDINGS=/data/study01 OUT=/scratch/$USER/study01 sbatch --array=1-32 scripts/slurm-array.sh
#   # when all tasks have finished:
#   node bin/affect.mjs merge "$OUT"/shard-*.sqlite --into "$OUT"/study01.sqlite
# A task that is killed can simply be resubmitted: files already stored in its shard are skipped.
#SBATCH --job-name=affect-analyze
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=08:00:00
#SBATCH --output=affect-%A_%a.log
set -euo pipefail
: "${RECORDINGS:?set RECORDINGS to the folder of recordings}"
: "${OUT:?set OUT to a folder for the shard databases}"
N=${SLURM_ARRAY_TASK_COUNT:?run with sbatch --array=1-N}
I=${SLURM_ARRAY_TASK_ID:?run with sbatch --array=1-N}
mkdir -p "$OUT"
exec node bin/affect.mjs analyze "$RECORDINGS" --shard "$I/$N" --db "$OUT/shard-$I.sqlite" --threads "${SLURM_CPUS_PER_TASK:-2}"
