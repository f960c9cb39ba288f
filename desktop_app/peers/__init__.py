"""Sharing downloaded course files with other Rounds on the local network.

`server` answers for the files of the content store by their SHA-256 (nothing else);
`source` tries the peers first when downloading and falls back to the server; `discovery`
advertises this computer and finds the others over mDNS/DNS-SD (zeroconf, imported only while
sharing or looking for peers). A file from a peer is verified by SHA-256 against the catalog
exactly as one from the server, so a hostile peer can waste time but never plant content.
"""
