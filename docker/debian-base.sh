#!/bin/sh
# Build a Python base image from Debian's packages, for machines that reach Debian's mirror but
# no image registry: mmdebstrap writes a minimal bookworm root file system (Debian's python3 and
# python3-venv, no apt, no docs) as a tar stream and `docker import` turns it into an image.
#
#   docker/debian-base.sh [TAG]        (default im-emulator-base:bookworm; run as root)
#
# DEBIAN_MIRROR and DEBIAN_SUITE choose where from (default http://deb.debian.org/debian,
# bookworm, whose python3 is 3.11). The image carries /usr/bin/python3 and nothing to install
# packages with; the Dockerfile's BASE build argument takes it.
set -eu
tag="${1:-im-emulator-base:bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
suite="${DEBIAN_SUITE:-bookworm}"
security="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"

command -v mmdebstrap >/dev/null || { echo "debian-base: mmdebstrap is missing (apt-get install -y mmdebstrap)" >&2; exit 1; }

# The merged-usr hook lays out merged /usr itself, so the usrmerge package (and the perl it
# needs, about 46 MB) stays out.
mmdebstrap --quiet --variant=essential --include=python3,python3-venv \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --aptopt='Acquire::Check-Valid-Until "false"' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* "$1"/var/log/*' \
    "$suite" - "deb $mirror $suite main" "deb $security $suite-security main" \
  | docker import \
      --change 'ENV LANG=C.UTF-8' \
      --change 'CMD ["python3"]' \
      - "$tag"
echo "debian-base: built $tag" >&2
