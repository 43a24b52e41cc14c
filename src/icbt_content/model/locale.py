"""Locale resources: what a locale supplies besides translations."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from icbt_content.model.base import ContentModel


class CrisisResource(ContentModel):
    """A service a client can contact in a crisis."""

    name: str
    contact: str
    """What to dial or text, as shown (for example '116 123' or 'Text SHOUT to 85258')."""
    href: str = ""
    """A tel:, sms: style link is built from this if given (tel: or https: only)."""
    hours: str = ""
    description: str = ""


class LocaleResources(ContentModel):
    """locales/<locale>/locale.yaml"""

    name: str = ""
    """The language's name in itself; taken from CLDR when empty."""
    direction: Literal["ltr", "rtl", "auto"] = "auto"
    """Text direction; 'auto' takes it from CLDR."""
    emergency_number: str = ""
    crisis_checked: str = ""
    """The date (YYYY-MM-DD) the crisis resources were last checked."""
    crisis: tuple[CrisisResource, ...] = ()
    values: dict[str, str] = Field(default_factory=dict)
    """Values content can use, such as a local service name."""
