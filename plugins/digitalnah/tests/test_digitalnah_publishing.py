from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from digitalnah.debounce import Debounce
from digitalnah.delivery import WebhookSender, content_hash, post_with_retries
from digitalnah.model import Offering, OfferingState
from digitalnah.pages import routes
from digitalnah.publisher import (
    DebouncedPublisher,
    PublishError,
    publish_files,
    site_settings,
    write_outputs,
)
from digitalnah.render import MANIFEST_FILE, SiteSettings
from digitalnah.schema import MIGRATIONS
from digitalnah.settings import DigitalNahSettings
from digitalnah.store import OfferingStore
from digitalnah.webhook import RetryPolicy, build_payload, verify_signature
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.storage import Database

NOW = datetime(2024, 5, 1, 7, 30, tzinfo=UTC)
SITE = SiteSettings(base_url="https://stadt.example.org")


def approved(number: int, title: str = "Parken per App") -> Offering:
    return Offering(
        submitter=UserID("@anna:example.org"),
        created_at=NOW,
        updated_at=NOW,
        id=number,
        title=title,
        link=f"https://example.org/{number}",
        category="Mobilität",
        state=OfferingState.APPROVED,
        approved_at=NOW,
    )


def spawn(coro: Any, name: str) -> asyncio.Task[Any]:
    return asyncio.create_task(coro, name=name)


async def test_a_burst_of_changes_is_published_once_after_a_quiet_moment() -> None:
    runs: list[float] = []
    loop = asyncio.get_running_loop()

    async def publish() -> None:
        runs.append(loop.time())

    publisher = DebouncedPublisher(
        publish, Debounce(timedelta(seconds=0.1), timedelta(seconds=5)), spawn
    )
    start = loop.time()
    for _ in range(5):
        publisher.changed()
        await asyncio.sleep(0.03)
    assert runs == []
    await asyncio.sleep(0.25)
    assert len(runs) == 1
    assert runs[0] - start >= 0.1 + 4 * 0.03 - 0.01
    publisher.changed()
    await asyncio.sleep(0.2)
    assert len(runs) == 2
    assert publisher.runs == 2


async def test_steady_changes_are_published_after_max_wait() -> None:
    runs: list[float] = []

    async def publish() -> None:
        runs.append(asyncio.get_running_loop().time())

    publisher = DebouncedPublisher(
        publish, Debounce(timedelta(seconds=0.1), timedelta(seconds=0.25)), spawn
    )
    for _ in range(12):
        publisher.changed()
        await asyncio.sleep(0.05)
    assert len(runs) >= 1  # never quiet for 0.1 s, yet published after 0.25 s
    await publisher.flush()


async def test_flush_publishes_a_waiting_change_at_once_and_survives_errors() -> None:
    calls = 0

    async def publish() -> None:
        nonlocal calls
        calls += 1
        raise OSError("disk full")

    publisher = DebouncedPublisher(
        publish, Debounce(timedelta(seconds=60), timedelta(seconds=60)), spawn
    )
    await publisher.flush()  # nothing waiting: nothing to do
    assert calls == 0
    publisher.changed()
    await publisher.flush()
    assert calls == 1
    assert not publisher.pending


def test_files_are_replaced_without_leftovers(tmp_path: Path) -> None:
    out = tmp_path / "public"
    write_outputs(out, {"index.html": b"eins", "feed.json": b"{}"})
    write_outputs(out, {"index.html": b"zwei"})
    assert (out / "index.html").read_bytes() == b"zwei"
    assert sorted(p.name for p in out.iterdir()) == ["feed.json", "index.html"]


def test_files_are_readable_by_others_only_where_their_folder_is(tmp_path: Path) -> None:
    private, served = tmp_path / "private", tmp_path / "served"
    private.mkdir(mode=0o700)
    served.mkdir()
    served.chmod(0o755)
    write_outputs(private, {"index.html": b"eins"})
    write_outputs(served, {"index.html": b"eins"})
    assert (private / "index.html").stat().st_mode & 0o777 == 0o600
    assert (served / "index.html").stat().st_mode & 0o777 == 0o644


def test_site_settings_follow_the_plugin_settings() -> None:
    settings = DigitalNahSettings(
        path="angebote", site_title="#DigitalNah Paderborn", categories=["Umwelt", "Wirtschaft"]
    )
    site = site_settings(settings, "http://127.0.0.1:8080/")
    assert site.page_url == "http://127.0.0.1:8080/angebote/"
    assert site.categories == ("Umwelt", "Wirtschaft")
    public = site_settings(settings.model_copy(update={"public_url": "https://x.de"}), "http://a")
    assert public.url_for("feed.json") == "https://x.de/angebote/feed.json"


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[str, Path]]:
    out = tmp_path / "public"
    app = web.Application()
    for method, path, handler in routes("/digitalnah/", out):
        app.router.add_route(method, path, handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}", out
    await runner.cleanup()


async def test_pages_serve_only_the_published_files(served: tuple[str, Path]) -> None:
    base, out = served
    async with aiohttp.ClientSession() as http:
        async with http.get(base + "/digitalnah/") as response:
            assert response.status == 404  # nothing published yet
        files = {"index.html": b"<p>Seite</p>", "feed.json": b"{}", "x.sql": b"", "a.csv": b""}
        write_outputs(out, files)
        async with http.get(base + "/digitalnah/") as response:
            assert response.status == 404  # written, but not in a manifest yet
        listed = ["index.html", "feed.json", "x.sql", "kategorie-umwelt-2.html"]
        manifest = {"files": listed, "offerings": {"7": "kategorie-umwelt-2.html#angebot-7"}}
        write_outputs(out, {MANIFEST_FILE: json.dumps(manifest).encode()})
        async with http.get(base + "/digitalnah/") as response:
            assert response.status == 200
            assert response.headers["Content-Type"] == "text/html; charset=utf-8"
            assert "script-src" not in response.headers["Content-Security-Policy"]
            assert "default-src 'none'" in response.headers["Content-Security-Policy"]
            assert await response.text() == "<p>Seite</p>"
        async with http.get(base + "/digitalnah/feed.json") as response:
            assert response.headers["Content-Type"] == "application/feed+json; charset=utf-8"
            assert response.headers["Access-Control-Allow-Origin"] == "*"
        async with http.get(base + "/digitalnah", allow_redirects=False) as response:
            assert response.status == 308
            assert response.headers["Location"] == "/digitalnah/"
        async with http.get(base + "/digitalnah/angebot-7", allow_redirects=False) as response:
            assert response.status == 302
            assert response.headers["Location"] == "/digitalnah/kategorie-umwelt-2.html#angebot-7"
        async with http.get(base + "/digitalnah/angebot-8", allow_redirects=False) as response:
            assert response.headers["Location"] == "/digitalnah/"  # not published
        for name in ("x.sql", "a.csv", "..%2Fdb.sqlite3", ".index.html.tmp", MANIFEST_FILE):
            async with http.get(base + "/digitalnah/" + name) as response:
                assert response.status == 404, name


class Hook:
    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.bodies: list[tuple[bytes, str]] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.bodies.append((await request.read(), request.headers["X-DigitalNah-Signature"]))
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)


async def serve_hook(hook: Hook) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_post("/hook", hook.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/hook"


@pytest.mark.parametrize(
    ("statuses", "delivered", "attempts"),
    [([], True, 1), ([503, 500], True, 3), ([500, 500, 500], False, 3), ([400], False, 1)],
)
async def test_post_with_retries(statuses: list[int], delivered: bool, attempts: int) -> None:
    hook = Hook(list(statuses))
    runner, url = await serve_hook(hook)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    try:
        ok, outcome = await post_with_retries(
            url, b"{}", {"X-DigitalNah-Signature": "sha256=x"}, RetryPolicy((0, 1, 2)),
            sleep=sleep,
        )  # fmt: skip
    finally:
        await runner.cleanup()
    assert ok is delivered
    assert len(hook.bodies) == attempts
    assert waits == [1, 2][: attempts - 1]
    assert outcome.startswith("HTTP ")


async def test_unreachable_webhook_is_retried_then_given_up() -> None:
    ok, outcome = await post_with_retries(
        "http://127.0.0.1:9/hook", b"{}", {}, RetryPolicy((0, 0), timeout_seconds=2)
    )
    assert not ok
    assert "Error" in outcome


async def test_webhook_sender_sends_only_what_changed(tmp_path: Path) -> None:
    db = Database(tmp_path / "db.sqlite3")
    await db.open()
    await db.migrate("digitalnah", MIGRATIONS)
    store = OfferingStore(db)
    hook = Hook([])
    runner, url = await serve_hook(hook)
    sender = WebhookSender(store, url, "s3cret", RetryPolicy((0,)), spawn)
    try:
        await sender.offer([], SITE, NOW)  # nothing ever published: nothing sent
        await sender.wait(5)
        assert hook.bodies == []
        await sender.offer([approved(1)], SITE, NOW)
        await sender.wait(5)
        await sender.offer([approved(1)], SITE, NOW + timedelta(minutes=5))  # same content
        await sender.wait(5)
        assert len(hook.bodies) == 1
        body, signature = hook.bodies[0]
        assert verify_signature(body, "s3cret", signature)
        assert json.loads(body)["items"][0]["title"] == "Parken per App"
        state = await store.publish_state()
        assert state.webhook_hash == content_hash([approved(1)], SITE)
        await sender.offer([], SITE, NOW)  # the last one ended: the receiver must know
        await sender.wait(5)
        assert json.loads(hook.bodies[-1][0])["count"] == 0
    finally:
        await runner.cleanup()
        await db.close()


async def test_publishing_in_the_worker_writes_lists_and_tidies_up(tmp_path: Path) -> None:
    db = Database(tmp_path / "db.sqlite3")
    await db.open()
    await db.migrate("digitalnah", MIGRATIONS)
    store = OfferingStore(db)
    out = tmp_path / "public"
    try:
        for n in range(1, 8):
            offering = dataclasses.replace(approved(0, f"Angebot {n}"), id=None)
            await store.commit(offering)
        approved_ids = [o.id for o in await store.in_batches(OfferingState.APPROVED, batch=3)]
        assert approved_ids == list(range(1, 8))
        result = await publish_files(store, SITE, out, now=NOW, page_size=5)
        assert result.count == 7
        pages = ["kategorie-mobilitaet.html", "kategorie-mobilitaet-2.html"]
        assert set(pages) <= set(result.sizes)
        manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
        assert manifest["files"] == sorted(result.sizes)
        assert manifest["offerings"]["7"] == "kategorie-mobilitaet-2.html#angebot-7"
        assert (await store.publish_state()).published_at == NOW

        result = await publish_files(store, SITE, out, now=NOW, page_size=10)
        assert not (out / pages[1]).exists()  # no longer produced: removed
        assert sorted(p.name for p in out.iterdir()) == sorted([*result.sizes, MANIFEST_FILE])

        broken = tmp_path / "design"
        broken.mkdir()
        (broken / "index.html").write_text("{% if %}", encoding="utf-8")
        with pytest.raises(PublishError, match="TemplateSyntaxError"):
            await publish_files(store, SITE, out, now=NOW, template_dir=broken)
        assert (out / "index.html").read_bytes()[:15] == b"<!DOCTYPE html>"  # the last good one
        with pytest.raises(PublishError, match="took longer than"):
            await publish_files(store, SITE, out, now=NOW, timeout=0.001)
    finally:
        await db.close()


async def test_the_worker_builds_the_webhook_payload_of_the_published_offerings(
    tmp_path: Path,
) -> None:
    db = Database(tmp_path / "db.sqlite3")
    await db.open()
    await db.migrate("digitalnah", MIGRATIONS)
    store = OfferingStore(db)
    out = tmp_path / "public"
    try:
        for n in range(1, 4):
            await store.commit(dataclasses.replace(approved(0, f"Angebot {n}"), id=None))
        draft = dataclasses.replace(
            approved(0, "Entwurf"), id=None, state=OfferingState.PENDING, approved_at=None
        )
        await store.commit(draft)
        result = await publish_files(store, SITE, out, now=NOW, webhook=True)
        payload = result.payload
        assert payload is not None
        shown = await store.in_batches(OfferingState.APPROVED)
        assert payload.body == build_payload(shown, SITE, generated_at=NOW)
        assert payload.fingerprint == content_hash(shown, SITE)
        assert payload.count == 3
        assert json.loads(payload.body)["count"] == 3
        assert (await publish_files(store, SITE, out, now=NOW)).payload is None
    finally:
        await db.close()
