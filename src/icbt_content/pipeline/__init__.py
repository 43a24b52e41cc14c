"""The build pipeline."""

from icbt_content.pipeline.build import BuildReport, build_site

__all__ = ["BuildReport", "build_site"]
