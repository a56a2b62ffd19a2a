"""Reports: turn scores into JSON, JSONL, CSV, Markdown, HTML or a terminal table."""
