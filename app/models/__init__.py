"""SQLAlchemy 2 models. Importing this package registers every table on FAB's metadata."""

from flask_appbuilder.security.sqla import models as _fab_security_models  # noqa: F401

from app.models.appraisal import (
    AuditLog,
    Evaluation,
    Indicator,
    Period,
    Rating,
    Rhk,
    RuleSetVersion,
    Skp,
)
from app.models.dialog import DialogEntry, SkpExpectation
from app.models.drafts import RatingDraft
from app.models.engagement import Appeal, Evidence, PublicFeedback, Realisation
from app.models.jobs import Job, JobChunk, Notification
from app.models.organisation import Employee, Position, Unit, UnitResult
from app.models.security import AccountSecurity, HttpSession, LoginThrottle
from app.models.workflow import AspectLevel, PeerAssignment

__all__ = [
    "AccountSecurity",
    "HttpSession",
    "LoginThrottle",
    "Appeal",
    "AspectLevel",
    "AuditLog",
    "DialogEntry",
    "Evidence",
    "PeerAssignment",
    "PublicFeedback",
    "Realisation",
    "Employee",
    "Evaluation",
    "Indicator",
    "Job",
    "JobChunk",
    "Notification",
    "Period",
    "Position",
    "Rating",
    "RatingDraft",
    "Rhk",
    "RuleSetVersion",
    "Skp",
    "SkpExpectation",
    "Unit",
    "UnitResult",
]
