"""Property tests: schemathesis generates requests from the fragment, the run's client sends them.

Importing this package registers the property checks (IDs NF-<AREA>-100..199).
"""

from conformance.properties import property_checks as property_checks
