"""Whether a room has the workday on: a moderator's setting, else decided by the members."""

from __future__ import annotations

from homeoffice_bot.workday.team_rooms import automatic, server_of, workday_on

OWN = frozenset({"stadt.example", "kreis.example"})


def test_server_of_a_matrix_id() -> None:
    assert server_of("@anna:Stadt.Example") == "stadt.example"
    assert server_of("@anna:stadt.example:8448") == "stadt.example:8448"


def test_on_by_default_while_everyone_is_on_an_own_server() -> None:
    assert automatic(["@anna:stadt.example", "@ben:kreis.example"], OWN)
    assert automatic([], OWN)


def test_off_by_default_as_soon_as_an_external_partner_is_a_member() -> None:
    assert not automatic(["@anna:stadt.example", "@partner:firma.example"], OWN)


def test_a_moderators_setting_wins_over_the_members() -> None:
    external = ["@anna:stadt.example", "@partner:firma.example"]
    assert workday_on(True, external, OWN)
    assert not workday_on(False, ["@anna:stadt.example"], OWN)
    assert workday_on(None, ["@anna:stadt.example"], OWN)
    assert not workday_on(None, external, OWN)
