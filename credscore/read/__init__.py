"""Reading: paths, folders and JSONL files become :class:`Document` objects, or read errors."""

from credscore.read.files import (
    ReadResult,
    WorkItem,
    discover,
    materialize,
    read_path,
    read_paths,
    read_tasks,
)

__all__ = ["ReadResult", "WorkItem", "discover", "materialize", "read_path", "read_paths",
           "read_tasks"]
