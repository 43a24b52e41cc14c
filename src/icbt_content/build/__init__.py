"""The build pipeline."""

from icbt_content.build.pipeline import BuildReport, build_site

__all__ = ["BuildReport", "build_site"]
