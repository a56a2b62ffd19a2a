"""Reading: paths, folders and JSONL files become :class:`Document` objects, or read errors."""

from credscore.read.files import ReadResult, discover, read_path, read_paths

__all__ = ["ReadResult", "discover", "read_path", "read_paths"]
