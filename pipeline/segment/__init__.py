"""Quote segmentation: find quote content spans and their kind."""
