"""The version of icbt-content, in a module of its own so any module can name it."""

__version__ = "0.1.0"
