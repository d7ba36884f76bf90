"""Daily stand-ups: schedule, questions, answers, reports and live calls.

The pure core (calendar, config, questions, answers, report, export, live, messages, text,
argtypes, assemble) is plain functions and frozen dataclasses. The plugin wires it to the
bot: ``plugin`` (StandupPlugin), ``commands`` with ``handlers_*`` (the ``!standup`` group),
``runner`` (the occurrence lifecycle), ``intake`` (answers, edits, redactions),
``reports`` (report data and edits), ``store``/``records``/``schema`` (all SQL).
"""
