from cases.models.cases import Case, CaseType
from cases.models.events import Event
from cases.models.leads import Lead
from cases.models.recommendations import Recommendation, RecommendationItem
from cases.models.records import Attachment, Consultation, Investigation
from cases.models.reference import DocumentSequence, DocumentType, Domain, NumberTemplate

__all__ = [
    "Attachment",
    "Case",
    "CaseType",
    "Consultation",
    "DocumentSequence",
    "DocumentType",
    "Domain",
    "Event",
    "Investigation",
    "Lead",
    "NumberTemplate",
    "Recommendation",
    "RecommendationItem",
]
