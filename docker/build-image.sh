#!/bin/sh
# Build the im-emulator image (`make image`): docker/build-image.sh [TAG]
#
# IMAGE_BASE chooses the base:
#   auto (default)   PYTHON_IMAGE when it is present or can be pulled, else debian
#   python           PYTHON_IMAGE (default python:3.11-slim); pip installs inside the build
#   debian           a base built from Debian's packages (docker/debian-base.sh), and the
#                    project and its dependencies as wheels fetched on the host into
#                    build/wheels; the build itself runs with no network
#   anything else    that image, installed from the index like "python"
# Starts dockerd where none runs and we are root (docker/dockerd.sh), and leaves it running;
# installs Debian's docker.io and mmdebstrap where they are missing and needed.
set -eu
cd "$(dirname "$0")/.."
. docker/dockerd.sh

tag="${1:-im-emulator:latest}"
python_image="${PYTHON_IMAGE:-python:3.11-slim}"
debian_base="${DEBIAN_BASE_IMAGE:-im-emulator-base:bookworm}"
base="${IMAGE_BASE:-auto}"
host_python="${PYTHON:-python3}"

ensure_dockerd

if [ "$base" = auto ]; then
    if docker image inspect "$python_image" >/dev/null 2>&1 \
            || docker pull -q "$python_image" >/dev/null 2>&1; then
        base=python
    else
        echo "build-image: $python_image cannot be pulled; building the base from Debian's packages" >&2
        base=debian
    fi
fi

# The wheel tags the Debian base's Python accepts: CPython 3.11 on glibc 2.36 (bookworm).
wheel_platforms() {
    arch=$(uname -m)
    m=5
    while [ "$m" -le 36 ]; do printf -- ' --platform manylinux_2_%s_%s' "$m" "$arch"; m=$((m + 1)); done
    printf -- ' --platform manylinux2014_%s --platform manylinux2010_%s --platform manylinux1_%s' \
        "$arch" "$arch" "$arch"
}

case "$base" in
debian)
    if ! docker image inspect "$debian_base" >/dev/null 2>&1; then
        apt_install mmdebstrap mmdebstrap
        docker/debian-base.sh "$debian_base"
    fi
    rm -rf build/wheels
    mkdir -p build/wheels
    "$host_python" -m pip wheel -q --no-deps -w build/wheels .
    # shellcheck disable=SC2046
    "$host_python" -m pip download -q --only-binary=:all: --python-version 3.11 \
        --implementation cp --abi cp311 $(wheel_platforms) -d build/wheels build/wheels/im_emulator-*.whl
    docker build --network none --build-arg BASE="$debian_base" --build-arg INSTALL=wheels \
        -t "$tag" .
    ;;
python)
    docker build --network "$(docker_network)" --build-arg BASE="$python_image" -t "$tag" .
    ;;
*)
    docker build --network "$(docker_network)" --build-arg BASE="$base" -t "$tag" .
    ;;
esac
docker image ls "$tag" --format 'build-image: {{.Repository}}:{{.Tag}} {{.Size}}' >&2
