"""Interoperability: Rounds' progress against a third-party Learning Record Store."""
