#!/usr/bin/env bash
# Installs the Debian packages Multivector needs, skipping those already present. Idempotent;
# run as root (or with sudo) on Debian 12. Every dependency of the project is listed here, so a
# fresh machine and CI get exactly what a developer has.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build git pkg-config
  # the design card's libraries
  libeigen3-dev libyaml-cpp-dev libspdlog-dev catch2 libcli11-dev nlohmann-json3-dev
  # reading the gzip-compressed roll calls of data/voeten
  zlib1g-dev
  # sweeps store their runs in SQLite, so every build needs it (MPI stays optional: --sweeps)
  libsqlite3-dev
)
# Extra groups, added by the features that need them (see each script's --help).
for extra in "$@"; do
  case "$extra" in
    --sweeps) packages+=(libsqlite3-dev sqlite3 libopenmpi-dev openmpi-bin) ;;
    --web) packages+=(libcpp-httplib-dev chromium) ;;
    --fuzz) packages+=(clang libclang-rt-14-dev) ;;
    --format) packages+=(clang-format) ;;
    --tidy) packages+=(clang-tidy) ;;
    --all) packages+=(libsqlite3-dev sqlite3 libopenmpi-dev openmpi-bin libcpp-httplib-dev
                      chromium clang libclang-rt-14-dev clang-format clang-tidy) ;;
    *) echo "setup.sh: unknown option '$extra' (use --sweeps, --web, --fuzz, --format, --tidy or --all)" >&2
       exit 2 ;;
  esac
done

# The machine image ships Node.js 20 with npm; Debian's own npm conflicts with it, so Node is
# installed from Debian only where no node is present at all. Debian 12's Node is 18, so the
# packages web/package-lock.json pins must run on Node 18 (playwright-core stays at 1.61, the last
# release that does; vega-lite's command-line helpers ask for Node 20 but are never loaded, so
# npm's EBADENGINE warnings about yargs and cliui on a fresh machine are expected).
if [[ " $* " == *" --web "* || " $* " == *" --all "* ]] && ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

# The chart libraries of `multivector report`, pinned by web/package-lock.json: the build embeds
# them, so they are installed before it (again whenever the lock file is newer).
install_web_packages() {
  local web_dir
  web_dir="$(cd "$(dirname "$0")/../web" && pwd)"
  if [[ " $* " == *" --web "* || " $* " == *" --all "* ]] &&
     [[ ! -f "$web_dir/node_modules/.package-lock.json" ||
        "$web_dir/package-lock.json" -nt "$web_dir/node_modules/.package-lock.json" ]]; then
    echo "setup: npm ci in web/"
    (cd "$web_dir" && npm ci --no-audit --no-fund)
  fi
}

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  install_web_packages "$@"
  exit 0
fi
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
# dpkg prints thousands of lines for a fresh machine; they go to a log that is shown only when
# something fails, so the Quick start's output is the simulation, not the installation.
apt_log="${TMPDIR:-/tmp}/multivector-setup-apt.log"
noun=packages
[ ${#missing[@]} -eq 1 ] && noun=package
echo "setup: installing ${#missing[@]} Debian $noun (${missing[*]}); apt's output: $apt_log"
export DEBIAN_FRONTEND=noninteractive
if ! { "${sudo_cmd[@]}" apt-get update -qq &&
       "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
     > "$apt_log" 2>&1; then
  tail -n 30 "$apt_log" >&2
  echo "setup: apt-get failed (the last lines above; all of it in $apt_log)" >&2
  exit 1
fi
echo "setup: installed"
install_web_packages "$@"
