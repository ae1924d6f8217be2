#!/bin/sh
# `make image-test`: build the image, run it, and check what a CI service container needs:
# the start line and the HEALTHCHECK, a non-root user, one signed request per vendor
# (docker/smoke.py, run with SMOKE_PYTHON, by default the project's .venv), a fixture mounted
# from the host with settings through IM_EMULATOR_* variables, and a clean stop on SIGTERM.
# Containers use the host's network on a free port. Starts dockerd where none runs (and stops
# it again at the end).
set -eu
cd "$(dirname "$0")/.."
. docker/dockerd.sh

tag="${1:-im-emulator:latest}"
smoke_python="${SMOKE_PYTHON:-.venv/bin/python}"
name="im-emulator-test-$$"
work=$(mktemp -d)
started=$(date +%s)

cleanup() {
    docker rm -f "$name-default" "$name-mounted" >/dev/null 2>&1 || true
    rm -rf "$work"
    stop_started_dockerd
}
trap cleanup EXIT
fail() { echo "image-test: FAIL: $*" >&2; exit 1; }
step() { echo "image-test: $*"; }

ensure_dockerd
step "building $tag"
t0=$(date +%s)
docker/build-image.sh "$tag" >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; fail "the build failed"; }
step "built in $(($(date +%s) - t0)) s: $(grep '^build-image:' "$work/build.log" | tr '\n' ' ')"

free_port() { "$smoke_python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start NAME PORT [docker run options...]: run the image on the host network, wait for the
# start line and for the HEALTHCHECK to say healthy.
start() {
    container=$1 port=$2
    shift 2
    docker run -d --name "$container" --network host -e IM_EMULATOR_PORT="$port" "$@" "$tag" >/dev/null
    i=0
    until docker logs "$container" 2>/dev/null | grep -q "^im-emulator listening on http://0.0.0.0:$port\$"; do
        i=$((i + 1))
        [ "$i" -le 100 ] || { docker logs "$container" >&2; fail "$container printed no start line"; }
        sleep 0.1
    done
    i=0
    until [ "$(docker inspect -f '{{.State.Health.Status}}' "$container")" = healthy ]; do
        i=$((i + 1))
        [ "$i" -le 60 ] || { docker inspect -f '{{json .State.Health}}' "$container" >&2; fail "$container never became healthy"; }
        sleep 0.5
    done
}

# sigterm NAME: SIGTERM, then the exit status must be 0 within 10 s.
sigterm() {
    t=$(date +%s)
    docker kill -s TERM "$1" >/dev/null
    code=$(timeout 10 docker wait "$1") || fail "$1 did not stop within 10 s of SIGTERM"
    [ "$code" = 0 ] || { docker logs "$1" >&2; fail "$1 exited $code on SIGTERM"; }
    docker logs "$1" 2>&1 | grep -q Traceback && { docker logs "$1" >&2; fail "$1 logged a traceback"; }
    step "$1: SIGTERM -> exit 0 in $(($(date +%s) - t)) s"
}

port=$(free_port)
step "default fixture on port $port"
start "$name-default" "$port"
url="http://127.0.0.1:$port"
banner=$(docker logs "$name-default" 2>&1 >/dev/null | head -n 1)
step "banner: $banner"
[ "$(docker exec "$name-default" id -u)" = 10001 ] || fail "the emulator does not run as uid 10001"
step "healthy (HEALTHCHECK on /_emulator/ready); runs as uid 10001"
curl -fsS "$url/_emulator/ready" | grep -q '"ready":true' || fail "/_emulator/ready is not ready"
"$smoke_python" docker/smoke.py "$url" alice g-hiking || fail "a signed request failed"
sigterm "$name-default"

fixtures="$work/fixtures"
mkdir -p "$fixtures"
cat >"$fixtures/ci.json" <<'JSON'
{
  "users": [{"id": "ci-user", "name": "CI User"}, {"id": "ci-friend", "name": "CI Friend"}],
  "groups": [{"id": "g-mounted", "name": "Mounted from the host", "type": "work",
              "owner": "ci-user", "members": ["ci-friend"]}]
}
JSON
chmod 0755 "$fixtures" && chmod 0644 "$fixtures/ci.json"
port=$(free_port)
step "fixture mounted from the host on port $port (IM_EMULATOR_FIXTURES, IM_EMULATOR_RATE_LIMITS=off)"
start "$name-mounted" "$port" -v "$fixtures:/fixtures:ro" \
    -e IM_EMULATOR_FIXTURES=/fixtures/ci.json -e IM_EMULATOR_RATE_LIMITS=off
url="http://127.0.0.1:$port"
state=$(curl -fsS "$url/_emulator/state")
echo "$state" | grep -q '"g-mounted"' || fail "the mounted fixture's group is not in the state: $state"
echo "$state" | grep -q '"g-hiking"' && fail "the default fixture was seeded instead of the mounted one"
step "state holds the mounted fixture's group g-mounted and not the default's"
"$smoke_python" docker/smoke.py "$url" ci-user g-mounted || fail "a signed request on the mounted fixture failed"
sigterm "$name-mounted"

step "PASS in $(($(date +%s) - started)) s"
