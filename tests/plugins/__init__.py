"""pytest plugins of our own, registered for every test by the root conftest."""
