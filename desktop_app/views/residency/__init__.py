"""Residency views: the list, the residency page, its agenda, prerequisites, check-in, badge."""
