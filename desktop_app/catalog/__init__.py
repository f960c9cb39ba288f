"""The read side of the catalog: course, module and lesson rows, and search."""
