"""Daily stand-ups: schedule, questions, answers, reports and live calls.

The pure core (calendar, config, questions, answers, report, export, live, messages, text,
argtypes, occurrence) is plain functions and frozen dataclasses. The plugin wires it to the
bot: ``plugin`` (StandupPlugin), ``commands`` with ``command_base``, ``run_commands`` and
``setup_commands`` (the ``!standup`` group), ``runner`` (the occurrence lifecycle),
``kickoff_service`` (opening an occurrence and posting its kickoff), ``events`` (answers,
edits, redactions), ``report_service`` (report data and edits),
``store``/``records``/``schema`` (all SQL).
"""
