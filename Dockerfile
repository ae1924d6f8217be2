# im-emulator as a CI service container: serves all four vendors' REST APIs on port 8000.
#
#   docker build -t im-emulator .                      # FROM python:3.11-slim, pip install
#   docker run --rm -p 8000:8000 im-emulator
#
# Every setting is an IM_EMULATOR_* environment variable (see `im-emulator --help`); a fixture
# from the host: -v "$PWD/fixtures.json:/fixtures/x.json:ro" -e IM_EMULATOR_FIXTURES=/fixtures/x.json
#
# Offline (no image registry, no network inside the build; what `make image` does when the
# python image cannot be pulled): a base from Debian's packages and the project as wheels fetched
# on the host into build/wheels:
#   docker/debian-base.sh im-emulator-base:bookworm
#   docker build --network none --build-arg BASE=im-emulator-base:bookworm \
#       --build-arg INSTALL=wheels -t im-emulator .
#
# The base must provide python3 (3.11 or newer) with its venv module, at the same path in both
# stages. Instructions that do not depend on the project come first in each stage, so a rebuild
# after a change to the code reuses them from the cache.
ARG BASE=python:3.11-slim

FROM ${BASE} AS build
# pypi: pip installs the project from the copied source and its dependencies from the index.
# wheels: pip installs only from build/wheels, with no index.
ARG INSTALL=pypi
COPY . /src
RUN set -eu; \
    export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_ROOT_USER_ACTION=ignore; \
    python3 -m venv /opt/im-emulator; \
    case "$INSTALL" in \
      pypi)   /opt/im-emulator/bin/pip install /src ;; \
      wheels) /opt/im-emulator/bin/pip install --no-index --find-links /src/build/wheels im-emulator ;; \
      *)      echo "INSTALL must be pypi or wheels, not '$INSTALL'" >&2; exit 2 ;; \
    esac; \
    /opt/im-emulator/bin/pip uninstall -y -q pip setuptools 2>/dev/null || true; \
    install -m 0755 /src/docker/healthcheck.py /opt/im-emulator/bin/im-emulator-healthcheck; \
    /opt/im-emulator/bin/im-emulator --version

FROM ${BASE}
# A non-root user of fixed id, written straight into /etc/passwd (the Debian-built base has no
# useradd). /data: its home and working folder, for an IM_EMULATOR_DB file store on a volume;
# /fixtures: where fixture files are mounted.
RUN set -eu; \
    echo 'emulator:x:10001:10001:im-emulator:/data:/usr/sbin/nologin' >> /etc/passwd; \
    echo 'emulator:x:10001:' >> /etc/group; \
    mkdir -p /data /fixtures; \
    chown 10001:10001 /data
ENV PATH=/opt/im-emulator/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    IM_EMULATOR_HOST=0.0.0.0 \
    IM_EMULATOR_PORT=8000
WORKDIR /data
EXPOSE 8000
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 CMD ["im-emulator-healthcheck"]
ENTRYPOINT ["im-emulator"]
COPY --from=build /opt/im-emulator /opt/im-emulator
USER 10001:10001
