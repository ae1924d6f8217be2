# Sourced by build-image.sh and image-test.sh.
# ensure_dockerd makes sure a Docker engine answers. Where none runs and we are root, it installs
# Debian's docker.io if dockerd is missing, then starts dockerd as a machine without a bridge or
# iptables allows (DOCKERD_ARGS, default: vfs storage, no iptables, no bridge, so containers use
# host networking), logs to build/dockerd.log and sets STARTED_DOCKERD to its pid.
STARTED_DOCKERD=""
APT_UPDATED=""

# apt_install COMMAND PACKAGE: install PACKAGE with apt-get when COMMAND is missing (root only).
apt_install() {
    command -v "$1" >/dev/null 2>&1 && return 0
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "$1 is missing: install $2 (apt-get install -y $2)" >&2
        return 1
    fi
    echo "installing $2 for $1" >&2
    if [ -z "$APT_UPDATED" ]; then
        apt-get update -qq >/dev/null && APT_UPDATED=yes
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
    command -v "$1" >/dev/null 2>&1
}

ensure_dockerd() {
    command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1 && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "no Docker engine answers and only root can start one here" >&2
        return 1
    fi
    apt_install dockerd docker.io || return 1
    mkdir -p build
    # shellcheck disable=SC2086
    dockerd ${DOCKERD_ARGS:---storage-driver=vfs --iptables=false --bridge=none} \
        >build/dockerd.log 2>&1 &
    STARTED_DOCKERD=$!
    tries=0
    until docker info >/dev/null 2>&1; do
        tries=$((tries + 1))
        if [ "$tries" -gt 60 ] || ! kill -0 "$STARTED_DOCKERD" 2>/dev/null; then
            echo "dockerd did not come up; see build/dockerd.log:" >&2
            tail -n 20 build/dockerd.log >&2
            return 1
        fi
        sleep 0.5
    done
    echo "started dockerd (pid $STARTED_DOCKERD, log build/dockerd.log)" >&2
}

stop_started_dockerd() {
    [ -n "$STARTED_DOCKERD" ] || return 0
    kill "$STARTED_DOCKERD" 2>/dev/null || true
    wait "$STARTED_DOCKERD" 2>/dev/null || true
    echo "stopped the dockerd this script started (pid $STARTED_DOCKERD)" >&2
}

# Containers join the host's network where the engine has no bridge (dockerd --bridge=none).
docker_network() {
    if docker network inspect bridge >/dev/null 2>&1; then echo bridge; else echo host; fi
}
