"""Translation: segments, catalogs, applying translations, checks, coverage."""
