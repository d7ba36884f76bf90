"""``homeoffice-bot demo``: a scripted team conversation on an embedded local homeserver."""
