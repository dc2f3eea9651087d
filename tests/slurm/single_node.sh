#!/usr/bin/env bash
# A throw-away single-node SLURM on this machine, for the cluster test (tests/test_slurm.py).
#
#   tests/slurm/single_node.sh install        apt-get the daemons (root, Debian/Ubuntu)
#   tests/slurm/single_node.sh start DIR      start munged, slurmctld, slurmd; state in DIR
#   tests/slurm/single_node.sh stop DIR       stop exactly what `start` started, by PID
#
# One node at 127.0.0.1 with this machine's CPUs and memory, one partition, no
# accounting database (AccountingStorageType=accounting_storage/none): with it, the
# executor plugin's default `sacct` status query would hang, so the test runs with
# --slurm-no-account --slurm-status-command squeue (MinJobAge = 300 s keeps finished
# jobs visible to squeue).  Clients find the cluster through SLURM_CONF=DIR/slurm.conf
# and, because the executor plugin clears SLURM_* variables inside jobs (so `srun` there
# reads the compiled-in default), through a symlink /etc/slurm/slurm.conf -> DIR/slurm.conf
# that `start` creates only where no system SLURM config exists and `stop` removes.
ETC_CONF=/etc/slurm/slurm.conf
set -euo pipefail

PACKAGES="slurmctld slurmd slurm-client munge"

install() {
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
}

wait_for() {  # wait_for SECONDS COMMAND...: retry until COMMAND succeeds
    local deadline=$((SECONDS + $1)); shift
    until "$@" >/dev/null 2>&1; do
        if [ $SECONDS -ge $deadline ]; then return 1; fi
        sleep 0.5
    done
}

start() {
    local dir; dir=$(realpath -m "$1")
    mkdir -p "$dir"/{state,spool,log,munge,run}
    for tool in munged slurmctld slurmd sinfo sbatch squeue; do
        command -v $tool >/dev/null || { echo "missing $tool: run '$0 install'" >&2; exit 2; }
    done
    # munge: our own key, socket and PID file, so nothing system-wide is touched
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
    chmod 711 "$dir/munge"; chmod 400 "$dir/munge/munge.key"
    munged --foreground --force --key-file="$dir/munge/munge.key" \
        --socket="$dir/munge/munge.socket" --pid-file="$dir/munge/munged.pid" \
        --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munge.seed" \
        > "$dir/log/munged.out" 2>&1 &
    echo $! > "$dir/run/munged.pid"

    local cpus mem
    cpus=$(nproc)
    mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
    cat > "$dir/slurm.conf" <<CONF
ClusterName=rnnrepro-test
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.daemon.pid
SlurmdPidFile=$dir/run/slurmd.daemon.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
MinJobAge=300
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
    export SLURM_CONF="$dir/slurm.conf"
    if [ -L "$ETC_CONF" ] && [ ! -e "$ETC_CONF" ]; then
        rm -f "$ETC_CONF"   # left by a throw-away cluster that is gone
    fi
    if [ -e "$ETC_CONF" ]; then
        echo "a system SLURM config exists at $ETC_CONF: not touching it" >&2; exit 4
    fi
    [ -d /etc/slurm ] || { mkdir -p /etc/slurm; touch "$dir/run/created_etc_dir"; }
    ln -s "$SLURM_CONF" "$ETC_CONF"
    echo "$ETC_CONF" > "$dir/run/created_etc_conf"
    slurmctld -D -f "$SLURM_CONF" > "$dir/log/slurmctld.out" 2>&1 &
    echo $! > "$dir/run/slurmctld.pid"
    wait_for 30 scontrol ping || { echo "slurmctld did not start" >&2; tail "$dir"/log/*; exit 3; }
    slurmd -D -f "$SLURM_CONF" > "$dir/log/slurmd.out" 2>&1 &
    echo $! > "$dir/run/slurmd.pid"
    wait_for 60 sh -c "sinfo -h -N -o %t | grep -Eq '^(idle|mix|alloc)'" \
        || { echo "the node did not come up" >&2; tail "$dir"/log/*; exit 3; }
    echo "SLURM_CONF=$SLURM_CONF"
}

stop() {
    local dir; dir=$(realpath -m "$1")
    export SLURM_CONF="$dir/slurm.conf"
    scancel --user="$(id -un)" >/dev/null 2>&1 || true
    for daemon in slurmd slurmctld munged; do
        local pidfile="$dir/run/$daemon.pid"
        [ -f "$pidfile" ] || continue
        local pid; pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$pidfile"
    done
    if [ -f "$dir/run/created_etc_conf" ]; then
        [ "$(readlink "$ETC_CONF")" = "$dir/slurm.conf" ] && rm -f "$ETC_CONF"
        rm -f "$dir/run/created_etc_conf"
        if [ -f "$dir/run/created_etc_dir" ]; then
            rmdir /etc/slurm 2>/dev/null || true
            rm -f "$dir/run/created_etc_dir"
        fi
    fi
}

case "${1:-}" in
    install) install ;;
    start) start "${2:?state directory}" ;;
    stop) stop "${2:?state directory}" ;;
    *) echo "usage: $0 install | start DIR | stop DIR" >&2; exit 64 ;;
esac
