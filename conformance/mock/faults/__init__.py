"""Named deviations of the mock: the suite's own mutation test.

Each :class:`Fault` is a realistic server bug that breaks one requirement of
spec/requirements.yaml. A fault is a handful of hooks on the request pipeline (see ../model.py);
pipeline.py calls them through :class:`FaultSet` and knows no fault by name.

One module per requirement area (schema, pagination, run_filter, permissions, http, errors, as
in conformance/checks/); base.py holds the types, registry.py the ordered catalog.
"""

from conformance.mock.faults.base import Fault, FaultSet, UnknownFault
from conformance.mock.faults.http import RATELIMIT_HEADERS
from conformance.mock.faults.registry import FAULTS, describe_faults, select_faults

__all__ = [
    "FAULTS",
    "RATELIMIT_HEADERS",
    "Fault",
    "FaultSet",
    "UnknownFault",
    "describe_faults",
    "select_faults",
]
