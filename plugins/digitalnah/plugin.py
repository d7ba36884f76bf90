"""The #DigitalNah plugin: collects new digital services for citizens from chat, lets
moderators approve them and publishes them as a web page, feeds and exports.

Enable it with ``[plugins] enabled = ["digitalnah"]``; settings in ``[plugins.digitalnah]``
(``digitalnah.settings.DigitalNahSettings``). Disabling it leaves its tables and files
alone and the rest of the bot untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from digitalnah.assistant_flow import AssistantFlow
from digitalnah.catalogue import LOCALES
from digitalnah.commands import OfferingCommands
from digitalnah.events import ChatHandlers
from digitalnah.model import OfferingState
from digitalnah.offline import PUBLISH
from digitalnah.pages import routes
from digitalnah.personal_data import DigitalNahPersonalData
from digitalnah.replies import digest_offerings, render_digest
from digitalnah.schema import MIGRATIONS
from digitalnah.service import DigitalNah
from digitalnah.settings import DigitalNahSettings
from homeoffice_bot.kernel.conversations import CONVERSATIONS
from homeoffice_bot.kernel.errors import MatrixError
from homeoffice_bot.kernel.ids import RoomID
from homeoffice_bot.kernel.plugins import CliCommand, Plugin
from homeoffice_bot.kernel.schedule_rules import Daily

DIGEST_JOB = "digitalnah.digest"


class DigitalNahPlugin(Plugin[DigitalNahSettings]):
    name = "digitalnah"
    settings_model = DigitalNahSettings
    migrations = MIGRATIONS
    locales = LOCALES

    @classmethod
    def cli_commands(cls) -> Sequence[CliCommand]:
        return (PUBLISH,)

    async def start(self) -> None:
        settings: DigitalNahSettings = self.ctx.settings
        self.dn = DigitalNah(self.ctx, settings)
        assistant = AssistantFlow(self.dn)
        commands = OfferingCommands(self.dn, assistant)
        for command in commands.declarations():
            self.ctx.add_command(command)
        self.ctx.add_personal_data(DigitalNahPersonalData(self.dn))
        handlers = ChatHandlers(self.dn, assistant)
        conversations = self.ctx.services.get(CONVERSATIONS)
        if conversations is not None:  # plain words stay silent while the assistant asks
            conversations.add(assistant)
        self.ctx.on_message(handlers.on_message)
        self.ctx.on_edit(handlers.on_edit)
        self.ctx.on_reaction(handlers.on_reaction)
        self.ctx.on_redaction(handlers.on_redaction)
        for method, path, handler in routes(settings.path, self.dn.out_dir):
            self.ctx.add_route(method, path, handler)
        if settings.digest_room:
            trigger = Daily(
                settings.digest_time, frozenset({settings.digest_weekday}), settings.digest_timezone
            )
            await self.ctx.scheduler.schedule(DIGEST_JOB, trigger, self.digest)
        self._metrics()
        self.dn.publisher.changed()  # the output reflects the database after every start

    def _metrics(self) -> None:
        metrics, dn = self.ctx.metrics, self.dn

        async def by_state() -> dict[str | tuple[str, ...], float | int]:
            counts: dict[str | tuple[str, ...], float | int] = {}
            counts.update(await dn.store.count_by_state())
            return counts

        metrics.sampled_gauge("offerings", "#DigitalNah offerings by state.", by_state, ["state"])
        metrics.sampled_counter(
            "publishes", "Times the page and feeds were written.", lambda: dn.publisher.runs
        )

        async def webhook_failing() -> int:
            return int((await dn.store.publish_state()).webhook_error is not None)

        metrics.sampled_gauge(
            "webhook_failing", "1 while the last webhook delivery gave up.", webhook_failing
        )

    async def stop(self) -> None:
        await self.dn.stop()

    async def digest(self, at: datetime) -> None:
        """The weekly digest: offerings first approved in the seven days before ``at``."""
        room = RoomID(self.dn.settings.digest_room or "")
        approved = await self.dn.store.in_states([OfferingState.APPROVED])
        week = digest_offerings(approved, since=at - timedelta(days=7), until=at)
        tr = await self.ctx.tr_for(room)
        try:
            await self.ctx.outbox.send(room, render_digest(week, tr, page_url=self.dn.page_url()))
        except MatrixError:
            self.ctx.logger.exception("could not send the #DigitalNah digest to %s", room)
