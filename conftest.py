"""Settings for the whole test suite (tests/ and the plugins' tests)."""

from hypothesis import settings

# Property tests check what holds, not how fast: a time limit per example fails them on a
# busy machine (CI shares two cores with Synapse and PostgreSQL) without saying anything
# about the code.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")
