#!/usr/bin/env bash
# Makes sure the integration tier has a Postgres and a Redis to talk to, and the command-line
# tools the tests use (redis-server for the outage test, pg_dump for the canary test).
# Services that already answer are left alone; on a fresh Debian machine (as root) the
# missing ones are installed from Debian's packages and started.
set -euo pipefail

PGHOST_CHECK=127.0.0.1
PGPORT_CHECK=5432
REDIS_PORT_CHECK=6379
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

need_apt() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-services: $1 is missing and this is not a Debian machine; install it and rerun" >&2
    exit 1
  fi
  if [ -z "${APT_UPDATED:-}" ]; then
    $SUDO apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pg_up() { (exec 3<>"/dev/tcp/$PGHOST_CHECK/$PGPORT_CHECK") 2>/dev/null; }
redis_up() { (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT_CHECK") 2>/dev/null; }

# --stack (npm run dev:stack): only what the running stack needs, not the tests' tools.
STACK_ONLY=""
[ "${1:-}" = "--stack" ] && STACK_ONLY=1

# --- tools -----------------------------------------------------------------------------------
command -v redis-server >/dev/null 2>&1 || need_apt redis-server
# The worker's sanitisers run ffmpeg, and exiftool (vendored) needs perl and Archive::Zip.
command -v ffmpeg >/dev/null 2>&1 || need_apt ffmpeg
# The worker's jail OCRs photos of paper and draws documents' safe renditions with tesseract:
# Korean, Russian and English data.
for lang in kor rus eng; do
  [ -e "/usr/share/tesseract-ocr/5/tessdata/$lang.traineddata" ] || need_apt tesseract-ocr "tesseract-ocr-$lang"
done
perl -MArchive::Zip -e 1 2>/dev/null || need_apt libarchive-zip-perl
# The worker parses every file in a bubblewrap jail (worker/jail/), and the tests run with it on.
command -v bwrap >/dev/null 2>&1 || need_apt bubblewrap
command -v prlimit >/dev/null 2>&1 || need_apt util-linux
if ! bwrap --unshare-all --die-with-parent --ro-bind / / true 2>/dev/null; then
  echo "ensure-services: bwrap cannot create namespaces here (unprivileged user namespaces off?);" \
    "the worker will refuse to start. See worker/jail/README.md." >&2
  exit 1
fi
# Run as root, the worker starts its jails as nobody, who must be able to enter every folder
# above the checkout and node_modules to bind them (a clone under a 0700 temp folder could not).
if [ "$(id -u)" -eq 0 ]; then
  checkout=$(cd "$(dirname "$0")/.." && pwd)
  for target in "$checkout" "$(readlink -f "$checkout/node_modules" 2>/dev/null || echo "$checkout")"; do
    d=$(dirname "$target")
    while :; do
      perm=$(stat -c %A "$d")
      case "${perm:9:1}" in
        x | t) ;;
        *)
          chmod o+x "$d"
          echo "ensure-services: made $d enterable by others (o+x) for the worker's jails, which run as nobody" >&2
          ;;
      esac
      [ "$d" = / ] && break
      d=$(dirname "$d")
    done
  done
fi
if [ -z "$STACK_ONLY" ]; then
command -v pg_dump >/dev/null 2>&1 || need_apt postgresql-client
# The tests re-read cleaned files with qpdf and check that office documents still open in
# LibreOffice.
command -v qpdf >/dev/null 2>&1 || need_apt qpdf
# heif-enc writes the iPhone-style HEIC fixture; mat2 is the reference the cleaners are held to.
command -v heif-enc >/dev/null 2>&1 || need_apt libheif-examples
command -v mat2 >/dev/null 2>&1 || need_apt mat2
command -v soffice >/dev/null 2>&1 || need_apt libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui
# Draw makes the ODG fixture.
dpkg -s libreoffice-draw-nogui >/dev/null 2>&1 || need_apt libreoffice-draw-nogui
# The browser tier drives Debian's Chromium (never a downloaded one); Korean glyphs for its screenshots.
command -v chromium >/dev/null 2>&1 || need_apt chromium fonts-noto-cjk
# The OCR tests draw Korean and Russian "photos of paper" with Debian's fonts.
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need_apt fonts-noto-cjk
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need_apt fonts-dejavu-core

# Optional: the compose file is validated with it when it is there.
if ! command -v docker-compose >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  need_apt docker-compose || true
fi
fi

# --- Postgres --------------------------------------------------------------------------------
if [ -z "${DATABASE_URL:-}" ] && ! pg_up; then
  command -v pg_ctlcluster >/dev/null 2>&1 || need_apt postgresql
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { echo "ensure-services: Postgres did not start" >&2; exit 1; }
  # Debian's default asks for a password over TCP: give the tests a trusted local login.
  hba=$(ls /etc/postgresql/"$version"/main/pg_hba.conf)
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    $SUDO sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  fi
fi

# --- Redis -----------------------------------------------------------------------------------
if [ -z "${REDIS_URL:-}" ] && ! redis_up; then
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT_CHECK" --save "" \
    --appendonly no --dir /tmp
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
  redis_up || { echo "ensure-services: Redis did not start" >&2; exit 1; }
fi
