# Sourced by build-image.sh and image-test.sh: ensure_dockerd makes sure a Docker engine answers.
# Where none runs and we are root with Debian's dockerd installed (docker.io), it starts one as
# this kind of machine allows (DOCKERD_ARGS, default: vfs storage, no iptables, no bridge, so
# containers use host networking), logs to build/dockerd.log and sets STARTED_DOCKERD to its pid.
STARTED_DOCKERD=""

ensure_dockerd() {
    docker info >/dev/null 2>&1 && return 0
    if [ "$(id -u)" != 0 ] || ! command -v dockerd >/dev/null 2>&1; then
        echo "no Docker engine answers and this script cannot start one (needs root and dockerd:" \
             "apt-get install -y docker.io)" >&2
        return 1
    fi
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
