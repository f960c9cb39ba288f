"""Signing in with the learner's organisation (OpenID Connect, see flow.py)."""
