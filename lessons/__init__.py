"""Sarangbang lessons: the lesson format, the bundled library and the lesson session."""
