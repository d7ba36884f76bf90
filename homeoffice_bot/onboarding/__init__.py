"""Onboarding: the welcome when the bot joins a team room, and the guided set-up
(``!einrichten``) in the team lead's direct chat."""
