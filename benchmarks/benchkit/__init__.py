"""The benchmark kit: a seeded corpus generator, the builders it is measured with, the report.

``benchmarks/run.py`` is the command; these modules are importable for tests
(``sys.path`` gets ``benchmarks/``, then ``import benchkit.corpus``).
"""
