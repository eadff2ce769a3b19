"""JSON shapes of the exhibitor API."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from messe.expo.models import Exhibitor

STAND_PATTERN = r"^[A-Za-z]{0,3}[0-9]{1,4}[A-Za-z]?$"
WEBSITE_PATTERN = r"^$|^https?://[^\s\u0000]+$"
LeadTag = Annotated[str, Field(min_length=1, max_length=40, description="A label on a scanner's tag button")]


class ExhibitorIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    stand: str = Field(min_length=1, max_length=12, pattern=STAND_PATTERN)
    hall: str = Field(default="", max_length=20)
    description: str = Field(default="", max_length=5000)
    website: str = Field(default="", max_length=300, pattern=WEBSITE_PATTERN)
    x: int = Field(default=0, ge=0, le=200)
    y: int = Field(default=0, ge=0, le=200)
    width: int = Field(default=1, ge=1, le=10)
    lead_tags: list[LeadTag] = Field(default_factory=list, max_length=50)


class ExhibitorPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=200)
    stand: str | None = Field(default=None, min_length=1, max_length=12, pattern=STAND_PATTERN)
    hall: str | None = Field(default=None, max_length=20)
    description: str | None = Field(default=None, max_length=5000)
    website: str | None = Field(default=None, max_length=300, pattern=WEBSITE_PATTERN)
    x: int | None = Field(default=None, ge=0, le=200)
    y: int | None = Field(default=None, ge=0, le=200)
    width: int | None = Field(default=None, ge=1, le=10)
    lead_tags: list[LeadTag] | None = Field(default=None, max_length=50)


class ExhibitorOut(BaseModel):
    id: int
    name: str
    stand: str
    hall: str
    description: str
    website: str
    x: int
    y: int
    width: int

    @classmethod
    def of(cls, exhibitor: Exhibitor) -> ExhibitorOut:
        return cls(id=exhibitor.id, name=exhibitor.name, stand=exhibitor.stand, hall=exhibitor.hall,
                   description=exhibitor.description, website=exhibitor.website,
                   x=exhibitor.x, y=exhibitor.y, width=exhibitor.width)
