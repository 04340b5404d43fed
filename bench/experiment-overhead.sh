#!/usr/bin/env bash
# Measures what a sweep costs beyond its points: one plain `cm run script` (baseline), the same points as a local
# sweep (--parallel 1 and 2), and as a Slurm array (a private single-node Slurm is started and stopped by PID when
# run as root with slurm-wlm and munge installed). Prints seconds per point and ratios to the baseline.
# Usage: bench/experiment-overhead.sh [POINTS]   (CM="dotnet path/cm.dll" to use another cm; default: a JIT build)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
points="${1:-8}"
work="$(mktemp -d /tmp/cm-exp-bench.XXXXXX)"
export CM_CACHE_DIR="$work/cache"
if [ -z "${CM:-}" ]; then
  dotnet build src/Automation.Cli -c Release -o "$work/cm" --nologo -v quiet >/dev/null
  CM="dotnet $work/cm/cm.dll"
fi
axis="1:$points"
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }

$CM run script --tags=app,sweep,probe -j --quiet >/dev/null   # warm the page cache
t0=$(now); for i in 1 2 3; do $CM run script --tags=app,sweep,probe --batch_size=$i -j --quiet >/dev/null; done; t1=$(now)
base=$(python3 -c "print(f'{($t1 - $t0) / 3:.3f}')")
echo "baseline: one cm run script (app-sweep-probe) = ${base}s"

report() { # name total
  python3 -c "t=$2; n=$points; b=$base; print(f'{\"$1\":<22} total {t:6.2f}s  per point {t/n:6.3f}s  ratio to baseline x{t/n/b:5.2f}')"
}
for p in 1 2; do
  t0=$(now); $CM run experiment --tags=app,sweep,probe --results_dir="$work/local-$p" --sweep.batch_size=$axis --parallel $p >/dev/null 2>&1; t1=$(now)
  report "local --parallel $p" "$(secs "$t0" "$t1")"
done
t0=$(now); $CM run experiment --tags=app,sweep,probe --results_dir="$work/local-1" --sweep.batch_size=$axis >/dev/null 2>&1; t1=$(now)
report "re-run (all reused)" "$(secs "$t0" "$t1")"

if [ "$(id -u)" = 0 ] && [ -x /usr/sbin/slurmctld ] && [ -x /usr/sbin/munged ]; then
  s="$work/slurm"; mkdir -p "$s/munge" "$s/state" "$s/spool" "$s/log"; chmod 700 "$s/munge"
  head -c 1024 /dev/urandom > "$s/munge/key"; chmod 400 "$s/munge/key"
  node="$(hostname -s)"; port=$((20000 + RANDOM % 20000))
  cat > "$s/slurm.conf" <<CONF
ClusterName=cmbench
SlurmctldHost=$node
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$s/munge/socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
SlurmctldPidFile=$s/ctld.pidf
SlurmdPidFile=$s/slurmd.pidf
SlurmctldPort=$port
SlurmdPort=$((port + 1))
StateSaveLocation=$s/state
SlurmdSpoolDir=$s/spool
SlurmctldLogFile=$s/log/slurmctld.log
SlurmdLogFile=$s/log/slurmd.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MinJobAge=600
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=512 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$s/slurm.conf"
  /usr/sbin/munged -F --force --socket="$s/munge/socket" --key-file="$s/munge/key" --pid-file="$s/munge/pid" --log-file="$s/log/munged.log" --seed-file="$s/munge/seed" >/dev/null 2>&1 & munged=$!
  for i in $(seq 1 20); do munge -n --socket="$s/munge/socket" >/dev/null 2>&1 && break; sleep 0.2; done
  /usr/sbin/slurmctld -D -f "$SLURM_CONF" >/dev/null 2>&1 & ctld=$!
  for i in $(seq 1 40); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.3; done
  /usr/sbin/slurmd -D -f "$SLURM_CONF" >/dev/null 2>&1 & slurmd=$!
  trap 'kill $slurmd; sleep 1; kill $ctld; sleep 1; kill $munged; rm -rf "$work"' EXIT
  for i in $(seq 1 40); do sinfo -h -o %t 2>/dev/null | grep -q '^idle' && break; sleep 0.5; done
  t0=$(now); $CM run experiment --tags=app,sweep,probe --results_dir="$work/slurm-run" --sweep.batch_size=$axis --backend=slurm >/dev/null 2>&1; t1=$(now)
  report "slurm array ($(nproc) cpus)" "$(secs "$t0" "$t1")"
  t0=$(now); sbatch --parsable --wait -o /dev/null --wrap true >/dev/null; t1=$(now)
  echo "slurm round trip of an empty job (sbatch --wait): $(secs "$t0" "$t1")s"
else
  trap 'rm -rf "$work"' EXIT
  echo "slurm: skipped (needs root and Debian's slurm-wlm + munge)"
fi
