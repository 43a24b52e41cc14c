"""The former name of :mod:`icbt_content.pipeline`, kept so ``from icbt_content.build import
build_site`` goes on working."""

from icbt_content.pipeline import BuildReport, build_site

__all__ = ["BuildReport", "build_site"]
