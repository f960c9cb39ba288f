"""Rounds: offline-first desktop learning client."""
