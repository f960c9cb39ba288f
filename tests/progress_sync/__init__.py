"""Progress upload and pull against the reference server over loopback."""
