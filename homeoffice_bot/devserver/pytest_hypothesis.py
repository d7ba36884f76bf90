"""Hypothesis settings of the whole test run: a pytest plugin (pyproject.toml loads it with
``-p``, for tests/ and the plugins' tests alike).

Property tests check what holds, not how fast: a time limit per example fails them on a
busy machine (CI shares two cores with Synapse and PostgreSQL) without saying anything
about the code, so the suite's profile has none.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("suite", deadline=None)
settings.load_profile("suite")
