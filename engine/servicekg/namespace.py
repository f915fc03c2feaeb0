"""The servicekg vocabulary as Python constants, so that a misspelt term fails loudly.

``SKG`` holds every term of our own namespace: classes, properties, concepts, sectors and
units. Accessing a term that the ontology does not define raises ``AttributeError``
(a test keeps this list and ``ontology/*.ttl`` in step). The other namespaces hold
instances whose names are data (passages, relations, metrics, businesses) and are open.

>>> SKG.Friendliness
rdflib.term.URIRef('https://w3id.org/servicekg/ns#Friendliness')
>>> SKG.Friendlyness
Traceback (most recent call last):
...
AttributeError: term 'Friendlyness' not in namespace 'https://w3id.org/servicekg/ns#'
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

__all__ = [
    "BASE",
    "BENCH",
    "GRAPH",
    "LANGUAGES",
    "METRIC",
    "PREFIXES",
    "PSG",
    "REL",
    "SKG",
    "SRC",
    "local_name",
]

BASE = "https://w3id.org/servicekg/"

LANGUAGES = ("en", "nl", "lv")
"""The languages of every label, text and page: English, Dutch, Latvian."""


def local_name(iri: str) -> str:
    """The last segment of an IRI (after ``#`` or ``/``); the IRI itself when that is empty.

    >>> local_name("https://w3id.org/servicekg/ns#Loyalty")
    'Loyalty'
    >>> local_name("https://w3id.org/servicekg/rule/slow-service")
    'slow-service'
    """
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or iri


class SKG(DefinedNamespace):
    """Terms of ``https://w3id.org/servicekg/ns#``."""

    _NS = Namespace(BASE + "ns#")
    _fail = True

    # Concept classes
    Concept: URIRef
    CustomerNeed: URIRef
    BasicNeed: URIRef
    BusinessSpecificNeed: URIRef
    ServiceFactor: URIRef
    CustomerRole: URIRef
    Outcome: URIRef
    QualityCost: URIRef
    Principle: URIRef
    Misconception: URIRef
    ServiceException: URIRef
    ManagementMethod: URIRef
    Sector: URIRef

    # Relations
    Relation: URIRef
    CausalLink: URIRef
    ChainLink: URIRef
    SectorNeed: URIRef
    fromConcept: URIRef
    toConcept: URIRef
    polarity: URIRef
    Polarity: URIRef
    Increases: URIRef
    Decreases: URIRef
    strength: URIRef
    condition: URIRef
    restsOn: URIRef
    Basis: URIRef
    StatedByArticle: URIRef
    ImpliedByArticle: URIRef
    OwnJudgement: URIRef
    basis: URIRef
    basisNote: URIRef

    # Principles, misconceptions, exceptions
    concerns: URIRef
    exceptionTo: URIRef
    appliesToSector: URIRef
    refutedBy: URIRef
    example: URIRef

    # Sources
    Article: URIRef
    Passage: URIRef
    quote: URIRef
    rendering: URIRef
    section: URIRef
    seedFile: URIRef
    cites: URIRef

    # Metrics, units, benchmarks
    Metric: URIRef
    metricId: URIRef
    measures: URIRef
    unit: URIRef
    datatype: URIRef
    minInclusive: URIRef
    maxInclusive: URIRef
    betterWhen: URIRef
    Direction: URIRef
    HigherIsBetter: URIRef
    LowerIsBetter: URIRef
    TrueIsBetter: URIRef
    howToObserve: URIRef
    Unit: URIRef
    symbol: URIRef
    convertsTo: URIRef
    multiplier: URIRef
    Benchmark: URIRef
    metric: URIRef
    goodAtMost: URIRef
    goodAtLeast: URIRef
    sectorCode: URIRef

    # Units
    Second: URIRef
    Minute: URIRef
    Hour: URIRef
    Day: URIRef
    Month: URIRef
    Ratio: URIRef
    Percent: URIRef
    PerThousand: URIRef
    Score1to5: URIRef
    Count: URIRef
    Euro: URIRef
    Boolean: URIRef
    NetPromoterPoints: URIRef

    # Assessments (ontology/assessment-vocabulary.ttl)
    Assessment: URIRef
    Recommendation: URIRef
    Unjudged: URIRef
    assessedBusiness: URIRef
    forBusiness: URIRef
    firedRule: URIRef
    rank: URIRef
    score: URIRef
    scoreReason: URIRef
    rootCause: URIRef
    missingMetric: URIRef
    aboutRule: URIRef

    # Rules (ontology/rules-vocabulary.ttl)
    Rule: URIRef
    Severity: URIRef
    LowSeverity: URIRef
    MediumSeverity: URIRef
    HighSeverity: URIRef
    CriticalSeverity: URIRef
    addresses: URIRef
    restsOnPrinciple: URIRef
    readsMetric: URIRef
    exceptionMetric: URIRef
    usesBenchmark: URIRef
    severity: URIRef
    recommendationText: URIRef
    conditionText: URIRef
    exceptionText: URIRef
    rationale: URIRef
    ruleFile: URIRef
    thresholdBasis: URIRef
    Caveat: URIRef
    caveat: URIRef
    caveatText: URIRef

    # Derived shortcuts, materialised by the knowledge base from the relation resources
    influences: URIRef
    increases: URIRef
    decreases: URIRef
    serves: URIRef
    needsInSector: URIRef

    # The concept scheme and its collection
    ServiceConcepts: URIRef
    SixBasicNeeds: URIRef

    # Basic needs
    Friendliness: URIRef
    UnderstandingAndEmpathy: URIRef
    Fairness: URIRef
    Control: URIRef
    OptionsAndAlternatives: URIRef
    Information: URIRef

    # Business-specific needs
    Fun: URIRef
    Safety: URIRef
    Accuracy: URIRef
    Certainty: URIRef

    # Service factors
    ServiceTime: URIRef
    ProductQuality: URIRef
    Greeting: URIRef
    ProblemResolution: URIRef
    Consistency: URIRef
    AttentionToDetail: URIRef
    FastCourteousHelp: URIRef
    WellInformedStaff: URIRef
    EmployeeTreatment: URIRef
    InternalService: URIRef
    SupplierService: URIRef
    ServiceQuality: URIRef

    # Customer-chain roles
    Customer: URIRef
    ExternalCustomer: URIRef
    InternalCustomer: URIRef
    Employee: URIRef
    Manager: URIRef
    Supplier: URIRef
    ServiceProvider: URIRef

    # Outcomes
    CustomerSatisfaction: URIRef
    LastingValue: URIRef
    Loyalty: URIRef
    Retention: URIRef
    WordOfMouth: URIRef
    Growth: URIRef
    Profit: URIRef
    Revenue: URIRef
    CompetitiveAdvantage: URIRef
    Attractiveness: URIRef
    MemorableExperience: URIRef

    # Cost of quality
    CostOfQuality: URIRef
    ExternalFailureCost: URIRef
    Complaints: URIRef
    Returns: URIRef
    SixSigma: URIRef

    # Principles, misconception, exception
    ExpandedConceptOfService: URIRef
    UnspokenNeedsScoring: URIRef
    NeedsVaryByBusiness: URIRef
    CultureShapesExpectations: URIRef
    ServiceInTheCustomersEyes: URIRef
    CustomerChain: URIRef
    InternalChainBothWays: URIRef
    StaffTreatmentMirrorsService: URIRef
    ManagersServeStaff: URIRef
    SuppliersAreAChainLink: URIRef
    ServiceAsRevenueGenerator: URIRef
    BestServiceWinsAtParity: URIRef
    ValueLoyaltyCycle: URIRef
    JustSayYes: URIRef
    RudeServiceAsProduct: URIRef

    # Sectors
    FastFood: URIRef
    Restaurant: URIRef
    Retail: URIRef
    Accountancy: URIRef
    ThemePark: URIRef
    CallCentre: URIRef
    Manufacturing: URIRef
    Hospitality: URIRef
    # Sectors no article names, added as our own judgement (ontology/sectors-extra.ttl)
    Bakery: URIRef
    Bank: URIRef
    HotelFrontDesk: URIRef
    HealthcarePractice: URIRef
    PublicOffice: URIRef
    ECommerce: URIRef
    Telecom: URIRef

    # Basis of a claim: the article's word or our judgement
    Basis: URIRef
    StatedByArticle: URIRef
    ImpliedByArticle: URIRef
    OwnJudgement: URIRef
    basis: URIRef
    basisNote: URIRef


SRC = Namespace(BASE + "source/")
"""Source articles, the works they cite, and the people and organisations they name."""

PSG = Namespace(BASE + "passage/")
"""Passages of the source articles."""

REL = Namespace(BASE + "relation/")
"""Causal, customer-chain and sector-need relations."""

METRIC = Namespace(BASE + "metric/")
"""Metrics a consultant can observe, named by their metric id."""

BENCH = Namespace(BASE + "benchmark/")
"""Benchmarks the articles give for a metric."""


class GRAPH:
    """The named graphs of a knowledge base."""

    ontology = URIRef(BASE + "graph/ontology")
    """The concepts, relations, sources and metrics of ``ontology/*.ttl``."""

    derived = URIRef(BASE + "graph/derived")
    """Shortcuts derived from the relation resources (``skg:increases``, ``skg:serves``, ...)."""

    rules = URIRef(BASE + "graph/rules")
    """The rules of ``rules/*.yaml``, described in RDF."""

    observations = URIRef(BASE + "graph/observations")
    """What consultants observed: SOSA observations and the businesses they are about."""

    assessments = URIRef(BASE + "graph/assessments")
    """Assessments and their recommendations, with PROV-O provenance."""


PREFIXES: dict[str, str] = {
    "skg": str(SKG._NS),
    "src": str(SRC),
    "psg": str(PSG),
    "rel": str(REL),
    "metric": str(METRIC),
    "bench": str(BENCH),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "org": "http://www.w3.org/ns/org#",
    "sh": "http://www.w3.org/ns/shacl#",
    "sosa": "http://www.w3.org/ns/sosa/",
    "rule": BASE + "rule/",
    "business": BASE + "business/",
}
"""Prefixes every query may use without declaring them."""
