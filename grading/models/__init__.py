"""Grading: versioned grids, schemes and their components, notes, their audit trail and
their publication; one module per kind of record."""

from .grids import Grid
from .layouts import ExportLayout
from .notes import Note, NoteChange, Publication
from .schemes import Component, Scheme

__all__ = ["Component", "ExportLayout", "Grid", "Note", "NoteChange", "Publication", "Scheme"]
