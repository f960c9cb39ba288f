"""Browsing the course catalog."""
