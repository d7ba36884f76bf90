"""Workday: presence, planned breaks, working hours, end-of-day boundaries, ArbZG notes.

The modules here are the pure core (plain functions and frozen dataclasses that take
``now`` and return values); the plugin that wires them to Matrix, the database and the
scheduler lives next to them.
"""
