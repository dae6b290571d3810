"""Proactive services: rules editors write, invitations officers approve (issue #22)."""
