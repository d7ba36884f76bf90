"""The published pages have no WCAG 2.1 AA violations that axe-core finds, checked in
headless Chromium (Debian's ``chromium`` package; axe-core from the npm registry, kept in
a cache folder). Without Chromium or npm the tests are skipped on a developer's machine
and fail in CI (``CI=true``), where ``.ci/run`` installs Chromium."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from digitalnah.catalogue import translator
from digitalnah.model import Offering, OfferingState
from digitalnah.render import SiteSettings, render_all
from digitalnah.render.html_page import TEMPLATES
from homeoffice_bot.kernel.ids import UserID

AXE_VERSION = "4.14.1"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--allow-file-access-from-files",
    "--virtual-time-budget=30000",
]
PROBE = """<script src="axe.min.js"></script><script>
function report(data) {
  var pre = document.createElement("pre");
  pre.id = "axe-result";
  pre.textContent = JSON.stringify(data);
  document.body.appendChild(pre);
}
axe.run(document, {runOnly: {type: "tag", values: TAGS}})
  .then(function (r) {
    report({passes: r.passes.length, violations: r.violations.map(function (v) {
      return {id: v.id, impact: v.impact, nodes: v.nodes.map(function (n) { return n.html; })};
    })});
  })
  .catch(function (e) { report({error: String(e)}); });
</script>"""
NOW = datetime(2024, 5, 1, 7, 30, tzinfo=UTC)
SITE = SiteSettings(base_url="https://bot.example.org", publisher="Stadt X")
TR = translator("de", strict=True)


def approved(number: int, **fields: Any) -> Offering:
    base = Offering(
        submitter=UserID("@anna:example.org"),
        created_at=NOW - timedelta(days=number),
        updated_at=NOW - timedelta(days=number),
        id=number,
        title=f"Angebot {number}",
        description=f"Beschreibung {number}\n\nZweiter Absatz.",
        link=f"https://example.org/{number}",
        category="Mobilität",
        provider="Bürgeramt",
        contact="buergeramt@example.org",
        available_since=date(2024, 4, 1),
        tags=("Termine", "Online"),
        state=OfferingState.APPROVED,
        approved_at=NOW - timedelta(days=number),
    )
    return dataclasses.replace(base, **fields)


ALL = [
    approved(1, title="Online-Terminbuchung fürs Bürgerbüro", category="Bürgerservice"),
    approved(2, title="<script>alert(1)</script>", link="javascript:alert(1)"),
    approved(3, title="Stadtbibliothek digital", category="Kultur & Freizeit", tags=()),
    approved(4, title="Parken per App", description="", provider="", contact=""),
]
DRAFT = approved(5, state=OfferingState.DRAFT, approved_at=None)
RESULT = re.compile(r'<pre id="axe-result">(.*?)</pre>', re.S)


def unavailable(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is needed for the accessibility tests")
    pytest.skip(f"{what} is missing: apt-get install chromium (and node with npm)")


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        unavailable("chromium")
    assert found is not None
    return found


@pytest.fixture(scope="module")
def axe_script() -> Path:
    """axe.min.js, installed once into the user's cache folder."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = cache / "homeoffice-bot" / f"axe-core-{AXE_VERSION}"
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if script.is_file():
        return script
    npm = shutil.which("npm")
    if npm is None:
        unavailable("npm")
    assert npm is not None
    folder.mkdir(parents=True, exist_ok=True)
    command = [npm, "install", "--prefix", str(folder), "--no-save", "--no-audit", "--no-fund"]
    done = subprocess.run(
        [*command, "--loglevel=error", f"axe-core@{AXE_VERSION}"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0 or not script.is_file():
        unavailable(f"axe-core {AXE_VERSION} from npm ({done.stderr.strip()[-300:]})")
    return script


@pytest.fixture
def check(chromium: str, axe_script: Path, tmp_path: Path) -> Any:
    """check(html) -> axe's result for the page (violations, passes)."""
    shutil.copy(axe_script, tmp_path / "axe.min.js")
    profile = tmp_path / "profile"

    def run(html: str, name: str = "page.html") -> dict[str, Any]:
        probe = PROBE.replace("TAGS", json.dumps(WCAG_TAGS))
        page = tmp_path / name
        page.write_text(html.replace("</body>", probe + "\n</body>"), encoding="utf-8")
        done = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        found = RESULT.search(done.stdout)
        assert found, f"no axe result from chromium: {done.stderr[-800:]}"
        result: dict[str, Any] = json.loads(unescape(found[1]))
        assert "error" not in result, result
        return result

    return run


def assert_no_violations(result: dict[str, Any]) -> None:
    assert result["passes"] > 5  # axe really looked at the page
    assert result["violations"] == []


def test_index_and_category_pages_have_no_violations(check: Any) -> None:
    many = [approved(n, title=f"Angebot {n:03}", category="Umwelt") for n in range(10, 75)]
    files = render_all([*ALL, *many], SITE, tr=TR, generated_at=NOW)
    assert "kategorie-umwelt-2.html" in files  # a page with numbered pagination
    for name in ("index.html", "kategorie-umwelt-2.html", "kategorie-kultur-freizeit.html"):
        assert_no_violations(check(files[name].decode(), name))


def test_empty_and_english_pages_have_no_violations(check: Any) -> None:
    empty = render_all([DRAFT], SITE, tr=TR, generated_at=NOW)["index.html"].decode()
    assert_no_violations(check(empty))
    english = dataclasses.replace(SITE, language="en")
    page = render_all(ALL, english, tr=translator("en"), generated_at=NOW)["index.html"]
    assert_no_violations(check(page.decode(), "english.html"))


def test_the_check_finds_a_violation_in_a_poor_own_template(check: Any, tmp_path: Path) -> None:
    """A corporate design with pale grey text fails, so the checks above mean something."""
    own = tmp_path / "design"
    own.mkdir()
    css = (TEMPLATES / "style.css").read_text(encoding="utf-8")
    (own / "style.css").write_text(css + "\nbody, a { color: #b0b0b0; }\n", encoding="utf-8")
    page = render_all(ALL, SITE, tr=TR, generated_at=NOW, template_dir=own)["index.html"]
    result = check(page.decode())
    assert "color-contrast" in [v["id"] for v in result["violations"]]
