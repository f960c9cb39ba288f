"""Services that move data between the server and the cache, without Qt."""
