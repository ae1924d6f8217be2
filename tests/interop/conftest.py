"""The interop suite: the real clients of ../shared/specs/real-clients.md, driven against the
real-socket fixture ``im_emulator_server``, all in this folder and nowhere else.

- ``test_rongcloud_sdk.py``: RongCloud's official Python SDK (``rc-server-sdk``).
- ``test_tls_sig_api_v2.py``: Tencent's official UserSig library (``tls-sig-api-v2``), with
  plain HTTP requests.
- ``test_tencent_sdk.py``: the third-party ``tencentcloud-sdk-python-im`` (which signs with
  ``tls-sig-api-v2``).
- ``test_zego_sdk.py``: ZEGO publishes no server SDK; its docs' sample client (stdlib urllib and
  a hand-built md5 signature) and the emulator's own ``ZegoAuth`` signer stand in.
- ``test_sdk_faults.py``: the RongCloud and Tencent SDKs meeting injected vendor error codes.
- ``test_openim_js_sdk.py``: OpenIM's official JavaScript client SDK (``@openim/client-sdk``,
  npm, run by Node from ``openim_js/``; ``make test`` runs ``npm ci`` there).
- ``test_openim_sdk_wire.py``: the requests OpenIM's Go SDK (openim-sdk-core, which cannot be built
  here) and its own test tools send, replayed byte for byte with plain HTTP.

The Python SDKs are test dependencies (the ``test`` extra of pyproject.toml). They read the wall clock,
so these tests leave the server's clock running.
"""
