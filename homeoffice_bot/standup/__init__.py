"""Daily stand-ups: schedule, questions, answers, reports and live calls (pure core).

The modules here are plain functions and frozen dataclasses; the plugin that wires them
to Matrix, the database and the scheduler lives next to them.
"""
