#!/opt/im-emulator/bin/python
"""The image's HEALTHCHECK: exit 0 when ``GET /_emulator/ready`` answers 200 on the port the
emulator serves (IM_EMULATOR_PORT), with IM_EMULATOR_ADMIN_TOKEN as a bearer token when set."""

import os
import sys
import urllib.request

host = os.environ.get("IM_EMULATOR_HOST", "0.0.0.0")
host = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "[::1]"}.get(host, host)
if ":" in host and not host.startswith("["):
    host = f"[{host}]"
port = os.environ.get("IM_EMULATOR_PORT", "8000")
request = urllib.request.Request(f"http://{host}:{port}/_emulator/ready")
token = os.environ.get("IM_EMULATOR_ADMIN_TOKEN")
if token:
    request.add_header("Authorization", f"Bearer {token}")
try:
    with urllib.request.urlopen(request, timeout=2) as answer:
        sys.exit(0 if answer.status == 200 else 1)
except Exception as exc:  # noqa: BLE001 - any failure is "not healthy"
    print(f"not ready: {exc}", file=sys.stderr)
    sys.exit(1)
