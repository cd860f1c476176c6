"""Open Cap Format (OCF v1.2.0): export the book as a schema-valid package, import a package into a new
corporation, validate any package. See README.md beside this file for the modules.

An adapter on top of `book`: it asks the book for events, documents and state and gets values back, and
writes through the book's append path. May import: `book` and everything below it; never `cli`.
"""

from __future__ import annotations

from .importer import Imported, import_package, validate_package
from .schemas import OCF_VERSION
from .writer import Exported, export_package

__all__ = ["OCF_VERSION", "Exported", "Imported", "export_package", "import_package", "validate_package"]
