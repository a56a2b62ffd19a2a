"""Reading: files, folders, JSONL files, web archives and URLs become :class:`Document` objects,
or read errors."""

from credscore.read.files import ReadResult, discover, read_path
from credscore.read.inputs import WorkItem, materialize, read_paths, read_tasks

__all__ = ["ReadResult", "WorkItem", "discover", "materialize", "read_path", "read_paths",
           "read_tasks"]
