"""The throwaway PostgreSQL cluster the server tests start (reference_server.devtools, which the
load benchmark starts too)."""

from reference_server.devtools.postgres_cluster import ClusterUnavailable, PostgresCluster

__all__ = ["ClusterUnavailable", "PostgresCluster"]
