#!/usr/bin/env bash
# Switchboard real-Asterisk lab: Asterisk 22 (Debian forky package) in a chroot on loopback.
#
#   asterisk-lab.sh build          build the chroot once (cached outside the repo)
#   asterisk-lab.sh start          copy asterisk-config/ into the chroot, mount, start Asterisk, wait for AMI
#   asterisk-lab.sh stop           stop Asterisk (by pid file), unmount everything; idempotent
#   asterisk-lab.sh restart        stop + start
#   asterisk-lab.sh status         running or not, mounts, AMI port
#   asterisk-lab.sh cli "CMD"      run `asterisk -rx "CMD"` inside the chroot
#   asterisk-lab.sh logs [N]       last N lines (default 50) of the lab's /var/log/asterisk/messages.log
#   asterisk-lab.sh path           print the chroot directory (to read cdr-csv, queue_log, ...)
#
# Environment:
#   SWITCHBOARD_LAB_CACHE    cache directory (default /var/cache/switchboard-lab); chroot = $CACHE/forky-asterisk
#   SWITCHBOARD_LAB_MIRROR   Debian mirror (default http://deb.debian.org/debian)
#   SWITCHBOARD_LAB_CONFIG   config directory copied to /etc/asterisk (default <repo>/asterisk-config)
#   SWITCHBOARD_LAB_KEEP_STATE=1  keep the chroot's logs (cdr-csv, queue_log) and voicemail spool across starts
#                                 (default: each start begins with empty logs and an empty voicemail spool)
#   SWITCHBOARD_LAB_START_TIMEOUT seconds to wait for Asterisk to boot (default 60)
#
# Needs root, debootstrap (apt-get install debootstrap) and, for calls, sipp (apt-get install sip-tester).
# Everything binds to 127.0.0.1: AMI 127.0.0.1:5038, SIP/UDP 127.0.0.1:5060, RTP 127.0.0.1:10000-10999.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../../.." && pwd)
CONFIG_DIR=${SWITCHBOARD_LAB_CONFIG:-$REPO_ROOT/asterisk-config}
CACHE_DIR=${SWITCHBOARD_LAB_CACHE:-/var/cache/switchboard-lab}
ROOT=$CACHE_DIR/forky-asterisk
MARKER=$ROOT/.switchboard-lab-complete
MIRROR=${SWITCHBOARD_LAB_MIRROR:-http://deb.debian.org/debian}
SUITE=forky
DEBOOTSTRAP_SCRIPT=/usr/share/debootstrap/scripts/sid   # the host's debootstrap has no "forky" script
START_TIMEOUT=${SWITCHBOARD_LAB_START_TIMEOUT:-60}
AMI_HOST=127.0.0.1
AMI_PORT=5038
PIDFILE_IN_CHROOT=/run/asterisk/asterisk.pid
# Mount points inside the chroot, in mount order (unmounted in reverse).
MOUNTS=(proc dev dev/shm run)

log() { printf 'asterisk-lab: %s\n' "$*" >&2; }
die() { printf 'asterisk-lab: ERROR: %s\n' "$*" >&2; exit 1; }

need_root() { [[ $(id -u) -eq 0 ]] || die "must run as root (chroot, mount)"; }

lock() {
  mkdir -p "$CACHE_DIR"
  exec 9>"$CACHE_DIR/.lock"
  flock -w 600 9 || die "another asterisk-lab.sh holds $CACHE_DIR/.lock"
}

is_mounted() { mountpoint -q "$ROOT/$1" 2>/dev/null; }

asterisk_pid() {
  # Prints the pid if the pid file names a live asterisk process of this chroot; nothing otherwise.
  local f=$ROOT$PIDFILE_IN_CHROOT pid
  [[ -r $f ]] || return 0
  pid=$(tr -dc '0-9' <"$f")
  [[ -n $pid ]] || return 0
  [[ -d /proc/$pid ]] || return 0
  [[ $(readlink -f "/proc/$pid/root" 2>/dev/null) == "$(readlink -f "$ROOT")" ]] || return 0
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == asterisk ]] || return 0
  echo "$pid"
}

ami_open() { (exec 3<>"/dev/tcp/$AMI_HOST/$AMI_PORT") 2>/dev/null; }

ami_credentials() {
  # The lab's AMI user and secret, read from the lab config (a test secret, not a production one).
  local secret
  secret=$(awk '/^\[switchboard\]/{s=1;next} /^\[/{s=0} s && $1=="secret"{sub(/^[^=]*=[ \t]*/,""); sub(/[ \t]*;.*$/,""); print; exit}' \
    "$CONFIG_DIR/manager.conf")
  echo "switchboard ${secret}"
}

# ---------------------------------------------------------------------------------------------- build
cmd_build() {
  need_root
  command -v debootstrap >/dev/null || die "debootstrap not installed: apt-get install -y debootstrap"
  [[ -r $DEBOOTSTRAP_SCRIPT ]] || die "missing $DEBOOTSTRAP_SCRIPT (debootstrap too old?)"
  lock
  if [[ -f $MARKER ]]; then
    log "chroot already built: $ROOT ($(cat "$MARKER"))"
    return 0
  fi
  [[ -e $ROOT ]] && { log "removing incomplete chroot $ROOT"; unmount_all; rm -rf --one-file-system "$ROOT"; }
  local attempt tmp t0 t1
  t0=$(date +%s)
  for attempt in 1 2; do
    tmp=$(mktemp -d "$CACHE_DIR/.build.XXXXXX")
    chmod 0755 "$tmp"   # mktemp makes it 0700: the chroot's "/" must be readable by the asterisk user
    log "debootstrap $SUITE into $tmp (attempt $attempt; ~1.5 min, ~500 MB)"
    if debootstrap --variant=minbase --include=asterisk "$SUITE" "$tmp" "$MIRROR" "$DEBOOTSTRAP_SCRIPT" \
        >"$CACHE_DIR/build.log" 2>&1 && [[ -x $tmp/usr/sbin/asterisk ]]; then
      # debootstrap leaves no mounts behind on success; make sure before renaming.
      chroot "$tmp" /usr/sbin/asterisk -V >"$tmp/.asterisk-version"
      # Keep Debian's sample configuration for reference; start replaces /etc/asterisk entirely.
      cp -a "$tmp/etc/asterisk" "$tmp/etc/asterisk.dist"
      t1=$(date +%s)
      echo "built $(date -u +%FT%TZ) in $((t1 - t0))s: $(cat "$tmp/.asterisk-version")" >"$tmp/.switchboard-lab-complete"
      mv -T "$tmp" "$ROOT"
      log "built $ROOT in $((t1 - t0))s: $(cat "$ROOT/.asterisk-version")"
      return 0
    fi
    log "debootstrap failed (attempt $attempt); last lines of $CACHE_DIR/build.log:"
    tail -n 5 "$CACHE_DIR/build.log" >&2 || true
    for m in proc sys dev/pts dev; do mountpoint -q "$tmp/$m" 2>/dev/null && umount -l "$tmp/$m" || true; done
    rm -rf --one-file-system "$tmp"
    [[ $attempt == 1 ]] && sleep 5
  done
  die "could not build the chroot; see $CACHE_DIR/build.log"
}

# ---------------------------------------------------------------------------------------------- mounts
mount_all() {
  is_mounted proc || mount -t proc proc "$ROOT/proc"
  if ! is_mounted dev; then
    mount -t tmpfs -o mode=0755,size=1m,nosuid,noexec devtmp "$ROOT/dev"
    mknod -m 666 "$ROOT/dev/null" c 1 3
    mknod -m 666 "$ROOT/dev/zero" c 1 5
    mknod -m 666 "$ROOT/dev/random" c 1 8
    mknod -m 666 "$ROOT/dev/urandom" c 1 9
    ln -s /proc/self/fd "$ROOT/dev/fd"
    ln -s /proc/self/fd/0 "$ROOT/dev/stdin"
    ln -s /proc/self/fd/1 "$ROOT/dev/stdout"
    ln -s /proc/self/fd/2 "$ROOT/dev/stderr"
    mkdir -m 1777 "$ROOT/dev/shm"
  fi
  # devtmp is mounted noexec; nodes still work because the mount is not nodev.
  is_mounted dev/shm || mount -t tmpfs -o mode=1777,size=64m,nosuid,nodev shm "$ROOT/dev/shm"
  if ! is_mounted run; then
    mount -t tmpfs -o mode=0755,size=16m,nosuid,nodev run "$ROOT/run"
  fi
  mkdir -p "$ROOT/run/asterisk"
  chroot "$ROOT" chown asterisk:asterisk /run/asterisk
}

unmount_all() {
  local i m
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    m=${MOUNTS[$i]}
    if is_mounted "$m"; then
      umount "$ROOT/$m" 2>/dev/null || { log "umount $ROOT/$m busy; lazy unmount"; umount -l "$ROOT/$m"; }
    fi
  done
}

# ---------------------------------------------------------------------------------------------- start
install_config() {
  [[ -f $CONFIG_DIR/modules.conf && -f $CONFIG_DIR/manager.conf ]] || die "no Asterisk config in $CONFIG_DIR"
  rm -rf "$ROOT/etc/asterisk"
  mkdir -p "$ROOT/etc/asterisk"
  # Copy only the .conf files (README and other docs stay out).
  find "$CONFIG_DIR" -maxdepth 1 -type f -name '*.conf' -exec cp -t "$ROOT/etc/asterisk" {} +
  chroot "$ROOT" chown -R root:asterisk /etc/asterisk
  # The interview's prompts (asterisk-config/sounds/switchboard), where a real install puts them too.
  # sounds/en is a symlink to /etc/alternatives/…: resolve it inside the chroot, not on the host.
  if [[ -d $CONFIG_DIR/sounds/switchboard ]]; then
    local en
    en=$(chroot "$ROOT" readlink -f /usr/share/asterisk/sounds/en)
    rm -rf "$ROOT$en/switchboard"
    mkdir -p "$ROOT$en/switchboard"
    cp -r "$CONFIG_DIR"/sounds/switchboard/. "$ROOT$en/switchboard/"
  fi
  chmod 0750 "$ROOT/etc/asterisk"
  chmod 0640 "$ROOT"/etc/asterisk/*.conf
}

reset_state() {
  [[ ${SWITCHBOARD_LAB_KEEP_STATE:-0} == 1 ]] && return 0
  local d
  for d in var/log/asterisk var/spool/asterisk/voicemail var/spool/asterisk/outgoing var/spool/asterisk/monitor \
           var/spool/asterisk/tmp; do
    mkdir -p "$ROOT/$d"
    find "$ROOT/$d" -mindepth 1 -delete
  done
  mkdir -p "$ROOT/var/log/asterisk/cdr-csv" "$ROOT/var/log/asterisk/cdr-custom" "$ROOT/var/log/asterisk/cel-custom"
  chroot "$ROOT" chown -R asterisk:asterisk /var/log/asterisk /var/spool/asterisk /var/lib/asterisk
}

wait_booted() {
  local started=$SECONDS deadline=$((SECONDS + START_TIMEOUT))
  until ami_open; do
    # The daemon writes its pid file within a second or two; no live pid after 10 s means it died.
    if [[ -z $(asterisk_pid) ]] && ((SECONDS - started > 10)); then
      die "Asterisk exited during start-up; see $(tail_hint)"
    fi
    [[ $SECONDS -lt $deadline ]] || die "AMI $AMI_HOST:$AMI_PORT not accepting after ${START_TIMEOUT}s; see $(tail_hint)"
    sleep 0.1
  done
  until chroot "$ROOT" /usr/sbin/asterisk -rx 'core waitfullybooted' >/dev/null 2>&1; do
    [[ $SECONDS -lt $deadline ]] || die "Asterisk not fully booted after ${START_TIMEOUT}s; see $(tail_hint)"
    sleep 0.1
  done
}

tail_hint() { echo "$ROOT/var/log/asterisk/messages.log (asterisk-lab.sh logs)"; }

cmd_start() {
  need_root
  [[ -f $MARKER ]] || die "no chroot at $ROOT; run: $0 build"
  lock
  local t0=$EPOCHREALTIME pid
  pid=$(asterisk_pid)
  if [[ -n $pid ]]; then
    log "already running (pid $pid); use restart to reload the config"
  else
    if ami_open; then die "something else already listens on $AMI_HOST:$AMI_PORT"; fi
    install_config
    mount_all
    reset_state
    rm -f "$ROOT$PIDFILE_IN_CHROOT"
    # -U/-G: drop root; the daemon forks and writes $PIDFILE_IN_CHROOT (astrundir in asterisk.conf).
    # 9>&-: the daemon must not inherit the lock file descriptor (it would hold the lock forever).
    chroot "$ROOT" /usr/sbin/asterisk -U asterisk -G asterisk </dev/null >/dev/null 2>&1 9>&- ||
      die "asterisk failed to start; see $(tail_hint)"
    wait_booted
    pid=$(asterisk_pid)
    [[ -n $pid ]] || die "Asterisk is up but its pid file $ROOT$PIDFILE_IN_CHROOT is missing"
    log "started pid $pid in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.2f", b-a}')s: $(cat "$ROOT/.asterisk-version")"
  fi
  read -r user secret < <(ami_credentials)
  cat <<EOF
AMI_HOST=$AMI_HOST
AMI_PORT=$AMI_PORT
AMI_USER=$user
AMI_SECRET=$secret
SIP=udp:127.0.0.1:5060
EOF
}

# ---------------------------------------------------------------------------------------------- stop
cmd_stop() {
  need_root
  [[ -d $ROOT ]] || { log "no chroot at $ROOT; nothing to stop"; return 0; }
  lock
  local pid t0=$EPOCHREALTIME deadline
  pid=$(asterisk_pid)
  if [[ -n $pid ]]; then
    # The pid from the pid file (checked above to be this chroot's asterisk), never a name: SIGTERM makes
    # Asterisk hang up its calls and shut down cleanly; SIGKILL only if it is still there after 15 s.
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 15))
    while [[ -d /proc/$pid ]] && [[ $SECONDS -lt $deadline ]]; do sleep 0.1; done
    if [[ -d /proc/$pid ]]; then log "pid $pid still alive after 15 s; SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
    while [[ -d /proc/$pid ]]; do sleep 0.1; done
    log "asterisk pid $pid stopped"
  fi
  unmount_all
  log "stopped in $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.2f", b-a}')s; nothing mounted under $ROOT"
}

# ---------------------------------------------------------------------------------------------- misc
cmd_status() {
  local pid m mounted=()
  if [[ ! -f $MARKER ]]; then echo "chroot: not built ($ROOT)"; else echo "chroot: $ROOT ($(cat "$MARKER"))"; fi
  for m in "${MOUNTS[@]}"; do is_mounted "$m" && mounted+=("$m"); done
  echo "mounts: ${mounted[*]:-none}"
  pid=$(asterisk_pid)
  if [[ -n $pid ]]; then
    echo "asterisk: running, pid $pid"
    if ami_open; then echo "ami: $AMI_HOST:$AMI_PORT accepting"; else echo "ami: $AMI_HOST:$AMI_PORT NOT accepting"; fi
    return 0
  fi
  echo "asterisk: stopped"
  return 3
}

cmd_cli() {
  need_root
  [[ $# -ge 1 ]] || die 'usage: asterisk-lab.sh cli "core show channels"'
  [[ -n $(asterisk_pid) ]] || die "asterisk is not running (asterisk-lab.sh start)"
  chroot "$ROOT" /usr/sbin/asterisk -rx "$*"
}

cmd_logs() { tail -n "${1:-50}" "$ROOT/var/log/asterisk/messages.log"; }

usage() { sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

main() {
  local cmd=${1:-}
  shift || true
  case $cmd in
    build) cmd_build "$@" ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    restart) cmd_stop; cmd_start ;;
    status) cmd_status "$@" ;;
    cli) cmd_cli "$@" ;;
    logs) cmd_logs "$@" ;;
    path) echo "$ROOT" ;;
    -h | --help | help) usage ;;
    *) usage >&2; die "unknown command '${cmd}'" ;;
  esac
}
main "$@"
