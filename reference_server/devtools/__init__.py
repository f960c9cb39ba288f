"""Development tools for the reference server's tests and benchmarks; the server never uses
them."""
