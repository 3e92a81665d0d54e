"""Population scale: annotate whole lab tables and build cohort worklists with the same rule
code as the single report (``liverlens.engine``)."""

from liverlens.batch.annotate import annotate
from liverlens.batch.table import TableSpec

__all__ = ["TableSpec", "annotate"]
