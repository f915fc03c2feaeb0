"""The metric catalogue read from the knowledge graph: units, ranges, conversions."""

import pytest

from servicekg.errors import UnknownTermError
from servicekg.graph.catalogue import MetricCatalogue
from servicekg.knowledge_base import KnowledgeBase


@pytest.fixture(scope="module")
def catalogue(kb: KnowledgeBase) -> MetricCatalogue:
    return MetricCatalogue.from_kb(kb)


def test_every_metric_has_unit_datatype_labels_and_concepts(catalogue: MetricCatalogue) -> None:
    assert len(catalogue) >= 40
    for spec in catalogue:
        assert spec.unit
        assert spec.datatype in ("decimal", "integer", "boolean")
        assert set(spec.labels) == {"en", "nl", "lv"}
        assert spec.concepts
        assert spec.is_boolean or spec.minimum is not None


def test_percent_converts_to_a_ratio_and_minutes_to_seconds(catalogue: MetricCatalogue) -> None:
    assert catalogue.convert(catalogue["retention_rate"], 85, "%") == pytest.approx(0.85)
    assert catalogue.convert(catalogue["service_time_seconds"], 1.5, "min") == 90
    assert catalogue.units_for(catalogue["complaint_rate"]) == ["per_1000"]


def test_a_unit_that_does_not_convert_is_named_with_the_accepted_ones(
    catalogue: MetricCatalogue,
) -> None:
    with pytest.raises(UnknownTermError, match=r"'min'.*%.*ratio"):
        catalogue.convert(catalogue["retention_rate"], 5, "min")


def test_an_unknown_metric_lists_the_known_ones(catalogue: MetricCatalogue) -> None:
    with pytest.raises(
        UnknownTermError, match=r"'service_time_secs'; did you mean 'service_time_seconds'"
    ):
        catalogue["service_time_secs"]


def test_the_fast_food_benchmark_comes_from_the_article(catalogue: MetricCatalogue) -> None:
    (benchmark,) = catalogue["service_time_seconds"].benchmarks
    assert (benchmark.sector, benchmark.good_at_most) == ("fast-food", 90)
    assert benchmark.passages == ("https://w3id.org/servicekg/passage/lv-service-time-mcdonalds",)
