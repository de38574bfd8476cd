"""Enrichment stages: entities, casualties and events extracted from article text."""
