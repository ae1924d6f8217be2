"""What a vendor package declares to the core: its ``Vendor`` registration, its command table
and the ``Protocol`` hooks the request pipeline (``emulator.pipeline``) calls.

A vendor package exports one ``Vendor``. The core derives everything else from it: the
settings group and its command-line flags, the credentials banner, the fault-rule vendor
names, the rate-limit default and the route claim. The pipeline runs the same steps for every
vendor; a vendor's hooks say how each step reads and answers in that vendor's own terms:

    claim -> route -> authenticate -> command -> parse -> subject -> admit -> handler -> render

``route`` names the endpoint (and may answer at once, e.g. a vendor's 404 for an unknown
path); ``authenticate`` checks credentials and returns the principal; an unknown command then
gets ``unknown_command``; ``parse`` reads the body (a failure is held until after ``admit``, so
fault rules and rate limits still apply to a bad body); ``subject`` names the user the request
is about for fault rules; ``admit`` runs the fault rules and the rate limit; the handler
answers; ``render`` wraps the answer in the vendor's envelope. A vendor whose gateway rate-limits
before it authenticates (``admit_first``) is admitted right after ``route``.

A body over the size limit never reaches these steps: the pipeline stops reading it and answers
with ``body_too_large`` (by default HTTP 413, as a gateway in front of the vendor cuts it). A
vendor with a documented limit of its own gives its settings a ``max_body_bytes`` field.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import Scope

from emulator.call import CallInfo
from emulator.clock import Clock
from emulator.errors import VendorError

if TYPE_CHECKING:
    from emulator.services import Services

BodyT = TypeVar("BodyT")
PrincipalT = TypeVar("PrincipalT")


@dataclass(slots=True)
class VendorRequest:
    """One request as the pipeline hands it to a vendor's hooks: method, path, raw query
    string, headers and the whole body (already read), with the call record the journal
    keeps. ``notes`` holds what one hook read for a later one (e.g. the parsed query)."""

    scope: Scope
    call: CallInfo
    body: bytes
    headers: Headers = field(init=False)
    notes: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.headers = Headers(scope=self.scope)

    @property
    def method(self) -> str:
        """The HTTP method."""
        method: str = self.scope["method"]
        return method

    @property
    def path(self) -> str:
        """The request path (percent-decoded, as the server gives it)."""
        path: str = self.scope["path"]
        return path

    @property
    def query_string(self) -> bytes:
        """The raw query string."""
        query: bytes = self.scope.get("query_string", b"")
        return query


@dataclass(frozen=True, slots=True)
class Route:
    """What ``Protocol.route`` reads before any check: the endpoint name (the command table's
    key, also what the journal and fault rules match), and the app and user the request
    claims to be from (for the journal, before authentication proves them)."""

    endpoint: str
    app: str = ""
    user: str = ""


@dataclass(slots=True)
class Context(Generic[BodyT, PrincipalT]):
    """What every handler receives: the shared services, the vendor's own settings and
    protocol object, the call record, the request, the authenticated principal and the parsed
    body (with the vendor's typed field readers)."""

    services: Services
    settings: Any
    protocol: Any
    call: CallInfo
    request: VendorRequest
    command: Command
    principal: PrincipalT
    body: BodyT


Handler = Callable[[Context[Any, Any]], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class Command:
    """One endpoint of a vendor: its handler, how its body is read (``schema``, given to the
    vendor's ``parse`` hook; None when the vendor reads every body the same way), and its rate
    limit in requests per second per app when it differs from the vendor's ``rate_limit``
    setting: a number, or the name of another field of the vendor's settings."""

    handler: Handler
    schema: Any = None
    rate_limit: int | str | None = None


class Answered(Exception):
    """Raised by a hook to answer at once with a ready response that is not a vendor error
    (gin's 404, an OPTIONS answer, a redirect); ``reason`` goes to the journal."""

    def __init__(self, response: Response, reason: str = "") -> None:
        super().__init__(reason or "answered")
        self.response = response
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Rendered:
    """A handler's answer in the vendor's envelope, and the vendor code it carries (for the
    journal)."""

    response: Response
    code: int | None


class Protocol(ABC):
    """The hooks of one vendor, bound to the shared services, the vendor's settings and its
    command table. A
    vendor subclasses it: the abstract hooks say how it answers; the others have defaults
    that suit a vendor with no credentials and no body."""

    def __init__(self, services: Services, settings: Any,
                 commands: Mapping[str, Command]) -> None:
        self.services = services
        self.settings = settings
        self.commands = commands

    def route(self, request: VendorRequest) -> Route:
        """The endpoint (and claimed app and user) of a request; may raise a VendorError or
        ``Answered`` to answer before any other check."""
        return Route(request.path)

    def authenticate(self, request: VendorRequest, command: Command | None) -> Any:
        """The principal of a request (``command`` is None for an unknown endpoint); raises
        the vendor's error for bad credentials."""
        return None

    @abstractmethod
    def unknown_command(self, request: VendorRequest) -> Exception:
        """What an authenticated request for an endpoint the vendor does not serve gets (a
        VendorError or ``Answered``)."""

    async def parse(self, request: VendorRequest, command: Command) -> Any:
        """The parsed body; raises the vendor's error for a body it refuses."""
        return None

    def subject(self, request: VendorRequest, body: Any) -> str:
        """The user the request is about, for fault rules and the journal ("" keeps the one
        ``route`` read). ``body`` is None before parsing (vendors that admit first)."""
        return ""

    @abstractmethod
    def render(self, answer: Any, ctx: Context[Any, Any]) -> Rendered:
        """A handler's answer in the vendor's envelope."""

    @abstractmethod
    def render_error(self, error: VendorError, request: VendorRequest) -> Response:
        """A vendor error in the vendor's envelope and HTTP status."""

    @abstractmethod
    def rate_limited(self, retry_after: float, limit: int) -> VendorError:
        """The vendor's answer to a request over its rate limit."""

    @abstractmethod
    def error_for_code(self, code: int) -> VendorError:
        """The error a vendor code stands for (message and HTTP status), for fault rules."""

    @abstractmethod
    def internal_error(self) -> VendorError:
        """The vendor's answer to an unexpected exception (an emulator bug)."""

    def body_too_large(self, limit: int) -> VendorError | Response:
        """The answer to a request body over ``limit`` bytes, before any other check: a
        VendorError in the vendor's envelope where it documents one, else (the default) the
        HTTP 413 page a gateway in front of the vendor gives."""
        return gateway_too_large()

    def finish(self, response: Response, request: VendorRequest) -> Response:
        """A last touch on every answer of this vendor (e.g. gzip); unchanged by default."""
        return response


GATEWAY_413 = (b"<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n"
               b"<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n"
               b"</body>\r\n</html>\r\n")


def gateway_too_large() -> Response:
    """HTTP 413 with the HTML page an nginx-style gateway gives for a body over its
    ``client_max_body_size``."""
    return Response(GATEWAY_413, status_code=413, media_type="text/html")


Signer = Callable[..., httpx.Auth]


@dataclass(frozen=True)
class Vendor:
    """A vendor's registration.

    - ``name``: the short name used in settings (``<name>_<setting>``), flags, fault rules and
      the journal; ``title``: how people write it.
    - ``claims(path, query_string)``: whether a request is this vendor's; ``fallback`` vendors
      take every request that no other vendor claims (one at most).
    - ``settings``: a frozen dataclass of the vendor's settings, each field with a ``help``
      in its metadata (see ``emulator.settings.setting``); it must have ``rate_limit`` (requests
      per second per app per endpoint, 0 = unlimited).
    - ``protocol``: the Protocol subclass, built once per app with the services and settings.
    - ``commands``: endpoint name -> Command.
    - ``signer(settings, clock=None)``: the client-side ``httpx.Auth`` that signs requests
      with these settings' credentials.
    - ``credentials(settings)``: the one-line credentials text of the start banner.
    - ``admit_first``: admit (fault rules, rate limit) before authenticating.
    - ``exports``: client-side names importable from ``emulator.signing``.
    - ``hosts``: the vendor's documented API hosts, which ``emulator.intercept`` routes to an
      in-process emulator (none for a self-hosted vendor: its users name theirs).
    """

    name: str
    title: str
    claims: Callable[[str, bytes], bool]
    settings: type
    protocol: type[Protocol]
    commands: Mapping[str, Command]
    signer: Signer
    credentials: Callable[[Any], str]
    fallback: bool = False
    admit_first: bool = False
    exports: Mapping[str, Any] = field(default_factory=dict)
    hosts: tuple[str, ...] = ()

    def signer_for(self, settings: Any, clock: Clock | None = None) -> httpx.Auth:
        """A client-side signer for these settings."""
        return self.signer(settings, clock=clock)
