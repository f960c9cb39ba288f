"""The xAPI 1.0.3 data rules (Part Two) a statement must meet before the LRS stores it, by
area: value formats, agents, activities, and the statement's own properties."""
