"""Qt widgets and item models. Views talk to services, never to SQL or HTTP."""
