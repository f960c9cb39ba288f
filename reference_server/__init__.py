"""Reference implementation of the Rounds remote API, version 1."""
