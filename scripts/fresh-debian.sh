#!/usr/bin/env bash
# Runs README's two Quick start commands on a fresh Debian 12 root, the way a new user's machine
# would, to catch an install step that a developer's machine (or CI on a machine that already has
# the toolchain) hides. Not part of scripts/test.sh: it needs root, mounts, the Debian archive and
# about an hour on two cores.
#
#   scripts/fresh-debian.sh [--only-default] [--keep] [DIR]
#
# DIR (default /var/tmp/multivector-fresh) receives a minimal Debian 12 (debootstrap --variant
# minbase: no compiler, no git, no Node) and a clone of this repository's HEAD; then, inside it,
# as root with an empty environment, scripts/run-default.sh and (unless --only-default)
# scripts/test.sh. Their output goes to DIR.logs/; the script prints each command's exit status and
# time, and exits non-zero if either failed. --keep leaves the root in place for a look inside
# (`chroot DIR`); otherwise it is removed. Uncommitted changes are not in the clone.
set -euo pipefail
cd "$(dirname "$0")/.."
repository="$PWD"

only_default=0
keep=0
root=/var/tmp/multivector-fresh
for argument in "$@"; do
  case "$argument" in
    --only-default) only_default=1 ;;
    --keep) keep=1 ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fresh-debian.sh: unknown option '$argument' (use --only-default, --keep or --help)" >&2
        exit 2 ;;
    *) root="$argument" ;;
  esac
done
if [ "$(id -u)" -ne 0 ]; then
  echo "fresh-debian.sh: run as root (debootstrap and chroot need it)" >&2
  exit 2
fi
if [ -e "$root" ]; then
  echo "fresh-debian.sh: $root exists; remove it or name another folder" >&2
  exit 2
fi
if ! command -v debootstrap >/dev/null 2>&1; then
  echo "fresh-debian.sh: installing debootstrap"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi
if [ -n "$(git status --porcelain)" ]; then
  echo "fresh-debian.sh: note: uncommitted changes are not tested (the clone has HEAD only)"
fi

logs="$root.logs"
mkdir -p "$logs"
unmount() {
  # Bind mounts first, so removing the root never reaches the host's /dev or /sys.
  for mount_point in dev sys proc; do
    umount -R "$root/$mount_point" 2>/dev/null || true
  done
  if [ "$keep" -eq 0 ] && ! grep -q " $root/" /proc/mounts; then
    rm -rf "$root"
  fi
}
trap unmount EXIT

started=$(date +%s)
echo "fresh-debian.sh: debootstrap bookworm into $root (log: $logs/debootstrap.log)"
debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian \
  > "$logs/debootstrap.log" 2>&1
# What an installed Debian 12 has: point-release updates and security fixes.
cat > "$root/etc/apt/sources.list" <<'SOURCES'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
SOURCES
# A machine behind a TLS-inspecting proxy trusts its certificate authority; the fresh root must
# too, or npm's registry is refused. ca-certificates picks these up when setup.sh installs it.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
git clone -q "$repository" "$root/root/multivector"
echo "fresh-debian.sh: root ready after $(($(date +%s) - started)) s"

run_inside() {
  local name="$1" command="$2" begun status
  begun=$(date +%s)
  status=0
  env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 ${NODE_EXTRA_CA_CERTS:+NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt} \
    chroot "$root" bash -c "cd /root/multivector && $command" > "$logs/$name.log" 2>&1 || status=$?
  echo "fresh-debian.sh: $command: exit $status after $(($(date +%s) - begun)) s (log: $logs/$name.log)"
  return "$status"
}

failed=0
run_inside default scripts/run-default.sh || failed=1
if [ "$only_default" -eq 0 ]; then
  run_inside test scripts/test.sh || failed=1
fi
exit "$failed"
