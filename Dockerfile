# syntax=docker/dockerfile:1
#
# homeoffice-bot container image.
#
#   docker build -t homeoffice-bot .
#   docker run --rm homeoffice-bot version
#
# Two stages on the same pinned base: "builder" installs the dependencies and the bot's wheel
# into a virtual environment at /opt/venv; the final stage copies only that environment. The
# venv's interpreter is a symlink into the base image, so both stages must use the same base.
#
# The base is pinned to a Python patch release on Debian 12 (bookworm). To update, change the
# tag (e.g. to the next 3.11.x) in one place below. For byte-for-byte reproducible builds you may
# also append the digest that `docker buildx imagetools inspect <image>` prints: image:tag@sha256:...
#
# No secrets are baked in: pass them at run time through HOMEOFFICE_MATRIX__PASSWORD_FILE and
# friends (see docker-compose.yml).
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm

# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
WORKDIR /src

# Dependencies first, in their own layer: it is rebuilt only when the lock file changes.
# requirements.lock pins every package (transitive ones too) with its hashes, so two builds
# of one commit install the same files; `python3 dev.py lock` writes it from pyproject.toml.
# Every dependency ships wheels (vodozemac for E2EE included), so no compiler is needed.
COPY pyproject.toml requirements.lock ./
RUN /opt/venv/bin/pip install --require-hashes --requirement requirements.lock

# Then the source: build the wheel and install it without touching the dependencies again.
COPY README.md LICENSE ./
COPY homeoffice_bot ./homeoffice_bot
COPY plugins ./plugins
RUN /opt/venv/bin/pip wheel --no-deps --wheel-dir /wheels . \
 && /opt/venv/bin/pip install --no-deps /wheels/*.whl \
 && /opt/venv/bin/homeoffice-bot version

# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

LABEL org.opencontainers.image.title="homeoffice-bot" \
      org.opencontainers.image.description="Matrix bot for remote public-sector teams: stand-ups, presence, breaks, end-of-day boundaries" \
      org.opencontainers.image.licenses="EUPL-1.2"

# The bot runs as an unprivileged user; /data (database, login, encryption store, backups,
# published pages) belongs to it. Mount a volume there and never delete it.
RUN groupadd --system --gid 10001 homeoffice \
 && useradd --system --uid 10001 --gid homeoffice --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin homeoffice \
 && mkdir /data \
 && chown homeoffice:homeoffice /data \
 && chmod 0750 /data

COPY --from=builder /opt/venv /opt/venv

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOMEOFFICE_STORAGE__DATA_DIR=/data \
    HOMEOFFICE_WEB__BIND=0.0.0.0

USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080

# Healthy once the bot is logged in and synced (/healthz answers 200). slim has no curl, so
# Python's urllib asks; a non-2xx answer or no answer raises and exits non-zero. If you move
# the web server to another port, set HOMEOFFICE_WEB__PORT so this check follows it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('HOMEOFFICE_WEB__PORT', '8080'), timeout=4)"]

# SIGTERM (docker stop) makes the bot finish in-flight work and close the database.
STOPSIGNAL SIGTERM
ENTRYPOINT ["homeoffice-bot"]
CMD ["run"]
