from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from digitalnah.model import DEFAULT_CATEGORIES, Offering, OfferingState
from digitalnah.offline import publish
from digitalnah.plugin import DigitalNahPlugin
from digitalnah.publisher import Published
from digitalnah.schema import MIGRATIONS
from digitalnah.settings import DigitalNahSettings
from digitalnah.store import OfferingStore
from homeoffice_bot.kernel.errors import ConfigError, StorageError
from homeoffice_bot.kernel.ids import UserID
from homeoffice_bot.kernel.offline import offline_context
from homeoffice_bot.kernel.storage import Database
from homeoffice_bot.settings import (
    MatrixSettings,
    PluginsSettings,
    Settings,
    StorageSettings,
    WebSettings,
)


def test_defaults() -> None:
    settings = DigitalNahSettings()
    assert settings.rooms == []
    assert settings.categories == list(DEFAULT_CATEGORIES)
    assert settings.path == "/digitalnah/"
    assert settings.debounce_seconds == 5
    assert settings.digest_room is None
    assert settings.digest_time == time(9, 0)
    assert settings.secret == ""


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"moderators": ["cdo"]}, "not a full Matrix ID"),
        ({"rooms": ["#team:example.org"]}, "not a room ID"),
        ({"webhook_url": "https://hook.example.org"}, "needs webhook_secret"),
        ({"webhook_url": "ftp://x", "webhook_secret": "s"}, "http:// or https://"),
        ({"path": "/"}, "must be a path"),
        ({"path": "/a b/"}, "must be a path"),
        ({"categories": ["Umwelt", "umwelt"]}, "distinct"),
        ({"categories": []}, "at least 1"),
        ({"site_timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"webhook_retry_seconds": []}, "give 1 to 10"),
        ({"debounce_seconds": 0}, "greater than 0"),
        ({"digest_weekday": 8}, "less than or equal to 7"),
        ({"unknown": 1}, "Extra inputs"),
        ({"template_dir": "/nicht/da"}, "is not a folder"),
        ({"page_size": 51}, "less than or equal to 50"),
        ({"page_size": 4}, "greater than or equal to 5"),
    ],
)
def test_wrong_values_are_refused(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        DigitalNahSettings.model_validate(values)


def test_values_are_normalised_and_secrets_read_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("geheim\n", encoding="utf-8")
    settings = DigitalNahSettings.model_validate(
        {
            "path": "digitalnah/angebote",
            "rooms": ["!abc:example.org", "!roomv12only"],
            "categories": ["  Umwelt  &   Klima "],
            "webhook_url": "https://hook.example.org/x",
            "webhook_secret_file": str(secret),
        }
    )
    assert settings.path == "/digitalnah/angebote/"
    assert settings.categories == ["Umwelt & Klima"]
    assert settings.secret == "geheim"
    own = DigitalNahSettings.model_validate({"template_dir": str(tmp_path), "page_size": 20})
    assert (own.template_dir, own.page_size) == (tmp_path, 20)
    assert DigitalNahSettings(webhook_secret=SecretStr("a")).secret == "a"
    with pytest.raises(ValidationError, match="cannot read webhook_secret_file"):
        DigitalNahSettings(webhook_secret_file=str(tmp_path / "missing"))


def bot_settings(data_dir: Path, **plugin: Any) -> Settings:
    return Settings(
        matrix=MatrixSettings(
            homeserver="https://matrix.example.org",
            user_id="@bot:example.org",
            password=SecretStr("x"),
        ),
        storage=StorageSettings(data_dir=data_dir),
        web=WebSettings(port=8099),
        plugins=PluginsSettings.model_validate({"enabled": ["digitalnah"], "digitalnah": plugin}),
    )


async def publish_from_settings(settings: Settings) -> tuple[Path, Published]:
    """``homeoffice-bot publish`` without the command line: the host's offline context."""
    async with offline_context(settings, DigitalNahPlugin) as ctx:
        return await publish(ctx)


async def test_publish_from_the_database_without_the_bot(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="no database"):
        await publish_from_settings(bot_settings(tmp_path))
    assert not (tmp_path / "homeoffice.sqlite3").exists()  # no empty database left behind
    db = Database(tmp_path / "homeoffice.sqlite3")
    await db.open()
    await db.migrate("digitalnah", MIGRATIONS)
    now = datetime(2024, 5, 1, tzinfo=UTC)
    for state in (OfferingState.APPROVED, OfferingState.PENDING):
        await OfferingStore(db).commit(
            Offering(
                submitter=UserID("@anna:example.org"),
                created_at=now,
                updated_at=now,
                title=f"Angebot {state.value}",
                link="https://example.org",
                category="Umwelt",
                state=state,
                approved_at=now if state is OfferingState.APPROVED else None,
            )
        )
    await db.close()

    out, result = await publish_from_settings(bot_settings(tmp_path, site_title="Paderborn"))
    assert result.count == 1
    assert out == tmp_path / "plugins" / "digitalnah" / "public"
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>Paderborn</title>" in html
    assert "Angebot approved" in html
    assert "Angebot pending" not in html
    assert "http://127.0.0.1:8099/digitalnah/feed.json" in (out / "feed.json").read_text("utf-8")
    _, again = await publish_from_settings(bot_settings(tmp_path, site_title="Paderborn"))
    assert again.written == len(again.sizes)  # a rebuild by hand writes every file

    with pytest.raises(ConfigError, match=r"plugins\.digitalnah\.path"):
        await publish_from_settings(bot_settings(tmp_path, path="/"))


def test_the_documented_example_section_is_valid() -> None:
    import tomllib

    docs = Path(__file__).resolve().parents[3] / "docs" / "digitalnah.md"
    block = docs.read_text("utf-8").split("```toml\n[plugins.digitalnah]\n")[1].split("```")[0]
    settings = DigitalNahSettings.model_validate(tomllib.loads(block))
    assert settings.moderators == ["@cdo:paderborn.de"]
    assert settings.digest_time == time(9, 0)
