"""The examples in README.md and docs/ run, so they cannot drift from the code.

- A ```python block that defines ``test_`` functions is a pytest example: every such block is
  written to its own file in a temporary folder, and all of them run in one ``pytest``
  subprocess against the installed plugin; each block passes when its file's tests pass.
- Any other ```python block is a script against ``make run``: it runs here, with
  ``http://127.0.0.1:8000`` replaced by the URL of the ``im_emulator_server`` fixture (a free
  port, reset before each example).
- The ```json fixture objects of docs/fixtures.md are seeded through the admin API.
- docs/settings.md names every setting with its flag, environment twin and default, and every
  registered vendor has its page under docs/vendors/; every relative link and anchor resolves.

Blocks of one file that share a tag after the language (```python acme) are one example, run
as one script or one test file. Other fence languages (```sh, ```text, ```py excerpts, ```json
elsewhere) are not run. A script's admin clients (``httpx.Client(base_url="http://127.0.0.1:8000")``)
are given the fixture's admin token, which ``make run`` does not need.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from emulator import registry
from emulator.settings import setting_fields

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```(\w*)[ \t]*(\S*)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
SERVE_URL = "http://127.0.0.1:8000"
@dataclass(frozen=True)
class Example:
    """One fenced block of a Markdown file."""

    path: Path
    line: int
    language: str
    code: str

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"

    @property
    def is_test(self) -> bool:
        return re.search(r"^(async )?def test_", self.code, re.MULTILINE) is not None


def examples(language: str) -> list[Example]:
    """The blocks of one fence language; blocks of a file that share a tag (```python acme)
    are one example, in order."""
    found: list[Example] = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        tagged: dict[str, int] = {}
        for match in FENCE.finditer(text):
            fence, tag, code = match.groups()
            if fence != language:
                continue
            if tag and tag in tagged:
                first = found[tagged[tag]]
                found[tagged[tag]] = Example(path, first.line, language, f"{first.code}\n\n{code}")
                continue
            if tag:
                tagged[tag] = len(found)
            line = text.count("\n", 0, match.start()) + 1
            found.append(Example(path, line, language, code))
    return found


PYTHON = examples("python")
SCRIPTS = [example for example in PYTHON if not example.is_test]
TESTS = [example for example in PYTHON if example.is_test]
FIXTURES = [example for example in examples("json")
            if example.path.name == "fixtures.md"
            and isinstance(json.loads(example.code), dict)]


@pytest.mark.parametrize("example", [pytest.param(example, id=example.name)
                                     for example in SCRIPTS])
def test_script_example_runs(example: Example, im_emulator_server: Any) -> None:
    code = example.code.replace(f'base_url="{SERVE_URL}")',
                                f'base_url="{SERVE_URL}", headers={im_emulator_server.admin_headers!r})')
    code = code.replace(SERVE_URL, im_emulator_server.url)
    exec(compile(code, example.name, "exec"), {"__name__": "__example__"})


@pytest.fixture(scope="module")
def pytest_outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Every runnable pytest example, run once in one subprocess: file stem -> failures."""
    folder = tmp_path_factory.mktemp("doc_examples")
    runnable = {f"test_example_{i}": example for i, example in enumerate(TESTS)}
    if not runnable:
        return {}
    for stem, example in runnable.items():
        (folder / f"{stem}.py").write_text(example.code, encoding="utf-8")
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    report = folder / "report.xml"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:hypothesispytest",
         f"--junitxml={report}", "--rootdir", str(folder), "-c", str(folder / "pytest.ini"),
         str(folder)],
        cwd=folder, capture_output=True, text=True, timeout=120)
    if not report.exists():
        pytest.fail(f"the pytest examples did not run:\n{run.stdout}\n{run.stderr}")
    outcomes: dict[str, list[str]] = {stem: [] for stem in runnable}
    ran: set[str] = set()
    for case in ET.parse(report).iter("testcase"):
        stem = case.get("classname", "").split(".")[-1]
        ran.add(stem)
        for problem in [*case.iter("failure"), *case.iter("error")]:
            outcomes.setdefault(stem, []).append(
                f"{case.get('name')}: {problem.get('message')}\n{problem.text}")
    for stem in runnable:
        if stem not in ran:
            outcomes[stem].append(f"no test ran:\n{run.stdout}\n{run.stderr}")
    return {runnable[stem].name: problems for stem, problems in outcomes.items()}


@pytest.mark.parametrize("example", [pytest.param(example, id=example.name) for example in TESTS])
def test_pytest_example_passes(example: Example, pytest_outcomes: dict[str, list[str]]) -> None:
    problems = pytest_outcomes[example.name]
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("example", [pytest.param(e, id=e.name) for e in FIXTURES])
def test_fixture_example_seeds(example: Example, im_emulator_server: Any) -> None:
    im_emulator_server.seed(json.loads(example.code))


def test_settings_page_names_every_setting() -> None:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(): line for line in text.splitlines()
            if line.startswith("| `--")}
    for field in setting_fields():
        flag = "--" + field.name.replace("_", "-")
        row = next((line for cell, line in rows.items() if cell.startswith(f"`{flag}")), None)
        assert row is not None, f"docs/settings.md has no row for {flag}"
        assert f"`IM_EMULATOR_{field.name.upper()}`" in row, row
        if field.name != "fixtures":
            default = field.default
            shown = {True: "on", False: "off"}[default] if isinstance(default, bool) else default
            shown = "(in memory)" if default is None else shown
            assert f"| `{shown}` |" in row or f"| {shown} |" in row, (
                f"{flag}: default {default!r} not in {row}")


def test_every_vendor_has_its_page() -> None:
    pages = {path.stem for path in (ROOT / "docs" / "vendors").glob("*.md")}
    assert pages == set(registry.names())


def _anchors(path: Path) -> set[str]:
    """GitHub's anchors for the headings of a Markdown file."""
    found = set()
    for heading in re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        found.add(slug)
    return found


@pytest.mark.parametrize("page", [pytest.param(p, id=str(p.relative_to(ROOT))) for p in DOCS])
def test_links_resolve(page: Path) -> None:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"\w+://", target):
            continue
        file, _, anchor = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        assert linked.exists(), f"{page.name}: no file for the link {target}"
        if anchor and linked.suffix == ".md":
            assert anchor in _anchors(linked), f"{page.name}: no heading for the link {target}"
