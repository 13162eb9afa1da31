"""Reading input documents and writing and reading a run's tables: documents, artifacts, shards."""
