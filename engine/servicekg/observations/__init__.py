"""A consultant's observations: read from CSV, XLSX, JSON, YAML, Turtle or JSON-LD, checked
against the metric catalogue, and written to the graph as W3C SOSA.

Every problem of every file is reported at once (:class:`~servicekg.errors.ObservationError`,
each :class:`~servicekg.errors.Problem` naming file, row, field and what is accepted), and
nothing is loaded unless everything is good.
"""

from servicekg.errors import ObservationError, Problem
from servicekg.observations.loader import OBSERVATION_FORMATS, load_observations, sector_codes
from servicekg.observations.rdf import (
    OBSERVATIONS_GRAPH,
    business_id,
    business_iri,
    observation_iri,
    observations_to_rdf,
)
from servicekg.observations.records import Business, Observation, ObservationSet, Origin
from servicekg.observations.row_validator import OTHER_SECTOR

__all__ = [
    "OBSERVATIONS_GRAPH",
    "OBSERVATION_FORMATS",
    "OTHER_SECTOR",
    "Business",
    "Observation",
    "ObservationError",
    "ObservationSet",
    "Origin",
    "Problem",
    "business_id",
    "business_iri",
    "load_observations",
    "observation_iri",
    "observations_to_rdf",
    "sector_codes",
]
