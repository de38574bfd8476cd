"""Assembles the named stages into the pipelines that the worker and the offline command run."""

from __future__ import annotations

from workers.pipeline.classify import classify
from workers.pipeline.enrich.casualties import extract_casualties
from workers.pipeline.enrich.entities import extract_entities
from workers.pipeline.enrich.events import extract_events
from workers.pipeline.normalise import normalise
from workers.pipeline.segment import segment
from workers.pipeline.stages import Pipeline, Stage, TimingSink, ignore_timing

ENRICH_STAGES: tuple[Stage, ...] = (
    Stage("normalise", normalise),
    Stage("segment", segment),
    Stage("classify", classify),
    Stage("entities", extract_entities),
    Stage("casualties", extract_casualties),
    Stage("events", extract_events),
)


def enrich_pipeline(on_timing: TimingSink = ignore_timing) -> Pipeline:
    """The stages between validation and deduplication, in order."""
    return Pipeline(ENRICH_STAGES, on_timing=on_timing)
