"""Render stage: HTML pages, therapist guide, templates and static assets."""
