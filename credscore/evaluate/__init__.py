"""Agreement between credscore and expert labels: label files, metrics, and the comparison."""
