#!/usr/bin/env bash
# Installs the reference mapper (accelforge, pinned) into its own virtual
# environment, outside the repository. Unattended; run as root.
#
# accelforge itself says Python >= 3.8, but every release of its dependency
# hwcomponents (and hwcomponents-adc/-cacti/-library/-neurosim) requires
# Python >= 3.12, and Debian 12 has 3.11 only. So this script builds a
# minimal Debian 13 (trixie, Python 3.13) tree with debootstrap from Debian's
# own archive, and makes the venv inside it; the driver runs the reference
# with chroot. Its mapper renders each mapping with Graphviz (`dot`), which
# comes from trixie's packages too.
#
#   FFM_PEER_ROOT   where the trixie tree goes (default /opt/ffm-peer/trixie)
#   ACCELFORGE_VERSION  (default: the pinned version below)
set -euo pipefail
ROOT="${FFM_PEER_ROOT:-/opt/ffm-peer/trixie}"
VERSION="${ACCELFORGE_VERSION:-1.0.467}"
VENV=/opt/afvenv
MIRROR="${FFM_PEER_MIRROR:-http://deb.debian.org/debian}"

if [ -x "$ROOT$VENV/bin/python" ] &&
   chroot "$ROOT" "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('accelforge') != '$VERSION')" 2>/dev/null; then
  echo "accelforge $VERSION already installed in $ROOT$VENV"
  exit 0
fi

if ! command -v debootstrap >/dev/null; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap
fi

if [ ! -x "$ROOT/usr/bin/python3" ]; then
  mkdir -p "$ROOT"
  debootstrap --variant=minbase \
    --include=python3,python3-venv,python3-pip,ca-certificates,graphviz \
    trixie "$ROOT" "$MIRROR"
fi

# Name resolution and the host's extra CA certificates (e.g. a proxy's), so
# that pip inside the tree reaches the package index as the host does.
cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
  chroot "$ROOT" update-ca-certificates >/dev/null
fi
chroot "$ROOT" sh -c 'command -v dot >/dev/null' ||
  chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends graphviz

[ -x "$ROOT$VENV/bin/python" ] || chroot "$ROOT" python3 -m venv "$VENV"
# The host's pip settings (find-links, cert paths) do not apply inside the tree.
chroot "$ROOT" env -u PIP_FIND_LINKS -u PIP_CERT PIP_DISABLE_PIP_VERSION_CHECK=1 \
  "$VENV/bin/pip" install -q "accelforge==$VERSION"
chroot "$ROOT" "$VENV/bin/python" -c "import accelforge, importlib.metadata as m; print('accelforge', m.version('accelforge'), 'installed')"
