"""The container files: Dockerfile, .dockerignore, compose files and the trial Synapse config.

No Docker engine runs on the test machines, so the Dockerfile is checked by reading it: a small
parser splits it into stages and instructions (line continuations and comments handled).
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from homeoffice_bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
SECRET_NAME = re.compile(r"PASSWORD|TOKEN|SECRET|PICKLE_KEY|API_KEY", re.IGNORECASE)
PINNED_TAG = re.compile(r"^v?\d+\.\d+\.\d+")


# --- a small Dockerfile parser ---------------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    keyword: str
    args: str
    line: int

    def exec_form(self) -> list[str]:
        value = json.loads(self.args)
        assert isinstance(value, list), f"line {self.line}: not the exec form: {self.args}"
        return [str(part) for part in value]


@dataclass
class Stage:
    image: str
    name: str | None
    line: int
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def last(self, keyword: str) -> Instruction:
        found = self.all(keyword)
        assert found, f"stage {self.name or self.image} has no {keyword}"
        return found[-1]


@dataclass
class Dockerfile:
    global_args: dict[str, str]
    stages: list[Stage]

    @property
    def final(self) -> Stage:
        return self.stages[-1]

    def instructions(self) -> list[Instruction]:
        return [i for stage in self.stages for i in stage.instructions]


def logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, instruction text) with continuations joined and comments dropped."""
    result: list[tuple[int, str]] = []
    parts: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue  # comments and blank lines may also sit inside a continuation
        if not parts:
            start = number
        if stripped.endswith("\\"):
            parts.append(stripped[:-1].strip())
            continue
        parts.append(stripped)
        result.append((start, " ".join(part for part in parts if part)))
        parts = []
    assert not parts, "the Dockerfile ends inside a line continuation"
    return result


def substitute(value: str, variables: dict[str, str]) -> str:
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: variables.get(m[1] or m[2], m[0]), value)


def parse_dockerfile(text: str) -> Dockerfile:
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for number, line in logical_lines(text):
        keyword, _, args = line.partition(" ")
        instruction = Instruction(keyword.upper(), args.strip(), number)
        if instruction.keyword == "FROM":
            words = [w for w in instruction.args.split() if not w.startswith("--")]
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append(Stage(substitute(words[0], global_args), name, number))
        elif not stages:
            assert instruction.keyword == "ARG", f"line {number}: only ARG may precede FROM"
            key, _, default = instruction.args.partition("=")
            global_args[key] = default.strip("\"'")
        else:
            stages[-1].instructions.append(instruction)
    return Dockerfile(global_args, stages)


def env_pairs(instruction: Instruction) -> dict[str, str]:
    """The variables an ENV (or ARG) instruction sets; ARG without a default maps to ""."""
    words = shlex.split(instruction.args)
    if instruction.keyword == "ENV" and words and "=" not in words[0]:
        return {words[0]: " ".join(words[1:])}  # legacy form: ENV KEY value with spaces
    return {key: value for key, _, value in (word.partition("=") for word in words)}


@pytest.fixture(scope="module")
def dockerfile() -> Dockerfile:
    return parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8"))


# --- the parser itself -----------------------------------------------------------------------

SAMPLE = """\
# syntax=docker/dockerfile:1
ARG BASE=python:3.11.9-slim
FROM ${BASE} AS build
RUN apt-get update \\
    # a comment inside a continuation
 && apt-get install -y gcc
ENV A=1 B="two words"
FROM $BASE
ENV LEGACY some value
USER app
"""


def test_parser_splits_stages_and_joins_continuations() -> None:
    parsed = parse_dockerfile(SAMPLE)

    assert parsed.global_args == {"BASE": "python:3.11.9-slim"}
    assert [(s.image, s.name) for s in parsed.stages] == [
        ("python:3.11.9-slim", "build"),
        ("python:3.11.9-slim", None),
    ]
    run = parsed.stages[0].last("RUN")
    assert run.args == "apt-get update && apt-get install -y gcc"
    assert run.line == 4
    assert env_pairs(parsed.stages[0].last("ENV")) == {"A": "1", "B": "two words"}
    assert env_pairs(parsed.final.last("ENV")) == {"LEGACY": "some value"}
    assert parsed.final.last("USER").args == "app"


# --- the Dockerfile ---------------------------------------------------------------------------


def test_is_multi_stage_on_one_pinned_slim_python_base(dockerfile: Dockerfile) -> None:
    assert len(dockerfile.stages) >= 2
    images = {stage.image for stage in dockerfile.stages}
    # The venv copied from the builder links to the base image's interpreter: same base.
    assert len(images) == 1, images
    [image] = images
    repository, _, tag = image.partition(":")
    assert repository in ("python", "docker.io/library/python")
    assert tag != "latest"
    assert re.fullmatch(r"3\.11\.\d+-slim(-\w+)?(@sha256:[0-9a-f]{64})?", tag), tag


def test_every_base_image_is_pinned(dockerfile: Dockerfile) -> None:
    stage_names = {stage.name for stage in dockerfile.stages if stage.name}
    for stage in dockerfile.stages:
        if stage.image in stage_names:
            continue
        assert "$" not in stage.image, f"unresolved variable in FROM {stage.image}"
        _, _, tag = stage.image.partition(":")
        assert PINNED_TAG.match(tag), f"FROM {stage.image} is not pinned to a version"


def test_builder_installs_dependencies_before_copying_the_source(dockerfile: Dockerfile) -> None:
    builder = dockerfile.stages[0]
    keywords = [(i.keyword, i.args) for i in builder.instructions]
    copy_pyproject = keywords.index(("COPY", "pyproject.toml requirements.lock ./"))
    copy_source = next(
        n for n, (k, a) in enumerate(keywords) if k == "COPY" and "homeoffice_bot" in a
    )
    install_deps = next(n for n, (k, a) in enumerate(keywords) if k == "RUN" and "pip install" in a)
    assert copy_pyproject < install_deps < copy_source


def test_builder_builds_the_wheel_into_a_virtualenv(dockerfile: Dockerfile) -> None:
    runs = " ".join(i.args for i in dockerfile.stages[0].all("RUN"))
    assert "python -m venv /opt/venv" in runs
    assert "pip wheel" in runs or "python -m build" in runs
    assert "/opt/venv/bin/pip install --no-deps /wheels/" in runs


def test_final_stage_copies_only_the_virtualenv(dockerfile: Dockerfile) -> None:
    copies = dockerfile.final.all("COPY") + dockerfile.final.all("ADD")
    assert [c.args for c in copies] == ["--from=builder /opt/venv /opt/venv"]


def test_final_stage_installs_no_compilers(dockerfile: Dockerfile) -> None:
    runs = " ".join(i.args for i in dockerfile.final.all("RUN"))
    for tool in ("apt-get install", "gcc", "build-essential", "cargo", "rustc", "pip install"):
        assert tool not in runs


def test_final_stage_runs_as_the_unprivileged_homeoffice_user(dockerfile: Dockerfile) -> None:
    user = dockerfile.final.last("USER").args
    name = user.split(":")[0]
    assert name not in ("root", "0")
    assert name in ("homeoffice", "10001")
    creates = " ".join(i.args for i in dockerfile.final.all("RUN"))
    assert "useradd" in creates
    assert "--uid 10001" in creates
    assert "homeoffice" in creates
    assert "chown homeoffice:homeoffice /data" in creates
    assert "chmod 0700 /data" in creates  # the bot's alone, as it checks at start


def test_data_volume_web_port_and_environment(dockerfile: Dockerfile) -> None:
    final = dockerfile.final
    volume = final.last("VOLUME")
    volumes = volume.exec_form() if volume.args.startswith("[") else volume.args.split()
    assert volumes == ["/data"]
    assert final.last("EXPOSE").args.split() == ["8080"]
    env: dict[str, str] = {}
    for instruction in final.all("ENV"):
        env.update(env_pairs(instruction))
    assert env["HOMEOFFICE_STORAGE__DATA_DIR"] == "/data"
    assert env["HOMEOFFICE_WEB__BIND"] == "0.0.0.0"
    assert env["PATH"].startswith("/opt/venv/bin:")


def test_healthcheck_asks_healthz_with_python(dockerfile: Dockerfile) -> None:
    healthcheck = dockerfile.final.last("HEALTHCHECK")
    options, _, command = healthcheck.args.partition("CMD ")
    assert "--start-period=" in options
    argv = json.loads(command)
    assert argv[:2] == ["python", "-c"]
    assert "urllib.request" in argv[2]
    assert "http://127.0.0.1:%s/healthz" in argv[2]
    assert "curl" not in healthcheck.args
    assert "wget" not in healthcheck.args


def test_entrypoint_and_default_command(dockerfile: Dockerfile) -> None:
    assert dockerfile.final.last("ENTRYPOINT").exec_form() == ["homeoffice-bot"]
    assert dockerfile.final.last("CMD").exec_form() == ["run"]


def test_no_secrets_in_the_image(dockerfile: Dockerfile) -> None:
    declared = {**dockerfile.global_args}
    for instruction in dockerfile.instructions():
        if instruction.keyword in ("ENV", "ARG"):
            declared.update(env_pairs(instruction))
    for name, value in declared.items():
        assert not (SECRET_NAME.search(name) and value), f"{name} has a value in the Dockerfile"
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert "syt_" not in text


def test_copied_sources_exist(dockerfile: Dockerfile) -> None:
    for instruction in dockerfile.instructions():
        if instruction.keyword != "COPY" or instruction.args.startswith("--from"):
            continue
        *sources, _ = instruction.args.split()
        for source in sources:
            if source == "README.md":
                continue  # written with the README issue; see the next test
            assert (ROOT / source).exists(), f"COPY {source}: no such file in the repository"


def test_the_readme_that_pyproject_names_is_copied(dockerfile: Dockerfile) -> None:
    readme = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "readme"
    ]
    copied = [i.args.split()[:-1] for i in dockerfile.stages[0].all("COPY")]
    assert any(readme in sources for sources in copied)


def test_the_licence_files_that_pyproject_names_are_copied(dockerfile: Dockerfile) -> None:
    """Building the wheel needs every file of `license-files`; the image carries the licence."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    copied = {s for i in dockerfile.stages[0].all("COPY") for s in i.args.split()[:-1]}
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    for name in project["license-files"]:
        assert (ROOT / name).is_file(), name
        assert name in copied, f"COPY {name} is missing in the builder stage"
        assert name not in ignored, f".dockerignore leaves {name} out"


# --- .dockerignore ----------------------------------------------------------------------------


def test_dockerignore_keeps_local_state_secrets_and_tests_out() -> None:
    patterns = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for required in (".git", ".venv", "data", "secrets", "tests", "**/__pycache__", "config"):
        assert required in patterns, required
    for needed in ("pyproject.toml", "README.md", "homeoffice_bot", "plugins", "*.md", "*"):
        assert needed not in patterns, f"{needed} is needed to build the wheel"


# --- compose files ----------------------------------------------------------------------------


def load_compose(name: str) -> dict[str, Any]:
    data = yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def settings_key_exists(variable: str) -> bool:
    if variable == "HOMEOFFICE_CONFIG":
        return True
    section, _, key = variable.removeprefix("HOMEOFFICE_").lower().partition("__")
    field_info = Settings.model_fields.get(section)
    if field_info is None or field_info.annotation is None:
        return False
    return key in getattr(field_info.annotation, "model_fields", {})


def check_bot_service(compose: dict[str, Any]) -> dict[str, Any]:
    bot = compose["services"]["bot"]
    assert bot["build"] == "."
    env = bot["environment"]
    assert env["HOMEOFFICE_CONFIG"] == "/config/homeoffice.toml"
    assert all(settings_key_exists(name) for name in env), env
    for name, value in env.items():
        if SECRET_NAME.search(name):
            assert name.endswith("_FILE"), f"{name} must come from a file"
            secret = value.removeprefix("/run/secrets/")
            assert secret in bot["secrets"]
            assert secret in compose["secrets"]
    mounts = {volume.split(":")[1]: volume for volume in bot["volumes"]}
    assert mounts["/config/homeoffice.toml"].endswith(":ro")
    assert "/data" in mounts
    assert mounts["/data"].split(":")[0] in compose["volumes"]  # a named volume
    assert bot["env_file"] == ["config/homeoffice.env"]
    assert bot["healthcheck"]["test"][:2] == ["CMD", "python"]
    assert "/healthz" in bot["healthcheck"]["test"][-1]
    assert bot["ports"] == ["127.0.0.1:8080:8080"]
    grace = bot["stop_grace_period"]
    assert grace.endswith("s")
    assert int(grace[:-1]) > 10
    return bot


def test_trial_compose_runs_bot_and_synapse() -> None:
    compose = load_compose("docker-compose.yml")
    bot = check_bot_service(compose)
    synapse = compose["services"]["synapse"]

    image, _, tag = synapse["image"].partition(":")
    assert image == "matrixdotorg/synapse"
    assert PINNED_TAG.match(tag), synapse["image"]
    assert compose["services"]["register-bot"]["image"] == synapse["image"]
    assert "./config/synapse:/config:ro" in synapse["volumes"]
    assert synapse["environment"]["SYNAPSE_CONFIG_PATH"] == "/config/homeserver.yaml"
    assert "/health" in " ".join(synapse["healthcheck"]["test"])
    assert bot["depends_on"]["synapse"] == {"condition": "service_healthy"}
    assert bot["depends_on"]["register-bot"] == {"condition": "service_completed_successfully"}
    assert (ROOT / "config" / "synapse" / "homeserver.yaml").is_file()
    mounted_toml = next(v for v in bot["volumes"] if v.endswith(":/config/homeoffice.toml:ro"))
    assert (ROOT / mounted_toml.split(":")[0]).is_file()


def test_trial_registers_the_bot_with_the_same_secret_it_logs_in_with() -> None:
    compose = load_compose("docker-compose.yml")
    register = compose["services"]["register-bot"]
    bot_password = compose["services"]["bot"]["environment"]["HOMEOFFICE_MATRIX__PASSWORD_FILE"]

    assert f"--password-file={bot_password}" in register["command"]
    assert "--exists-ok" in register["command"]
    assert "--no-admin" in register["command"]
    env_example = (ROOT / "config" / "homeoffice.env.example").read_text(encoding="utf-8")
    user = next(arg for arg in register["command"] if arg.startswith("--user="))
    assert f"HOMEOFFICE_MATRIX__USER_ID=@{user.removeprefix('--user=')}:localhost" in env_example


def test_production_compose_runs_the_bot_alone_hardened() -> None:
    compose = load_compose("docker-compose.prod.yml")
    assert set(compose["services"]) == {"bot"}
    bot = check_bot_service(compose)
    assert "depends_on" not in bot
    assert bot["read_only"] is True
    assert bot["cap_drop"] == ["ALL"]
    assert "no-new-privileges:true" in bot["security_opt"]
    assert "./config/homeoffice.toml:/config/homeoffice.toml:ro" in bot["volumes"]


def test_postgres_compose_gives_the_bot_its_database_and_the_password_as_a_secret() -> None:
    compose = load_compose("docker-compose.postgres.yml")
    assert set(compose["services"]) == {"bot", "db"}
    bot, db = check_bot_service(compose), compose["services"]["db"]
    image, _, tag = db["image"].partition(":")
    assert image == "postgres"
    assert re.match(r"^\d+\.\d+", tag), db["image"]
    assert bot["depends_on"]["db"] == {"condition": "service_healthy"}
    assert "pg_isready" in db["healthcheck"]["test"]
    url = bot["environment"]["HOMEOFFICE_STORAGE__DATABASE"]
    assert url == f"postgresql://{db['environment']['POSTGRES_USER']}@db:5432/homeoffice"
    password = bot["environment"]["HOMEOFFICE_STORAGE__DATABASE_PASSWORD_FILE"]
    assert password == db["environment"]["POSTGRES_PASSWORD_FILE"]
    assert db["volumes"][0].split(":")[0] in compose["volumes"]
    assert bot["read_only"] is True


def test_no_plain_secrets_in_compose_files() -> None:
    for name in ("docker-compose.yml", "docker-compose.prod.yml", "docker-compose.postgres.yml"):
        for service in load_compose(name)["services"].values():
            environment = service.get("environment", {})
            for key, value in environment.items():
                if SECRET_NAME.search(key):
                    assert str(value).startswith("/run/secrets/"), (name, key)


# --- the trial homeserver -----------------------------------------------------------------


def test_trial_synapse_config_keeps_secrets_out_and_limits_high() -> None:
    config = yaml.safe_load(
        (ROOT / "config" / "synapse" / "homeserver.yaml").read_text(encoding="utf-8")
    )
    assert config["server_name"] == "localhost"
    assert config["enable_registration"] is False
    assert config["presence"]["enabled"] is True
    [listener] = config["listeners"]
    assert (listener["port"], listener["bind_addresses"]) == (8008, ["0.0.0.0"])
    for secret in ("registration_shared_secret", "macaroon_secret_key", "form_secret"):
        assert secret not in config
    assert config["registration_shared_secret_path"].startswith("/data/")
    for key, value in config.items():
        if isinstance(value, str) and value.startswith("/"):
            assert value.startswith("/data/"), f"{key} must live in the data volume"
    assert config["rc_message"]["per_second"] >= 10


def test_installed_synapse_accepts_the_trial_config(tmp_path: Path) -> None:
    pytest.importorskip("synapse")
    text = (ROOT / "config" / "synapse" / "homeserver.yaml").read_text(encoding="utf-8")
    config = tmp_path / "homeserver.yaml"
    config.write_text(text.replace("/data/", f"{tmp_path}/"), encoding="utf-8")
    script = (
        "import sys\n"
        "from synapse.config.homeserver import HomeServerConfig as C\n"
        "argv = ['-c', sys.argv[1]]\n"
        "assert C.load_or_generate_config('hs', [*argv, '--generate-missing-configs']) is None\n"
        "c = C.load_config('hs', argv)\n"
        "print(c.server.server_name, c.server.listeners[0].port, c.server.presence_enabled)\n"
    )

    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script, str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "localhost 8008 True"
    assert (tmp_path / "signing.key").is_file()
    assert (tmp_path / "registration_shared_secret").is_file()
