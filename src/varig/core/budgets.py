"""The page budgets of issue 9, shared by the query-count tests and `varig bench`.

Every page of the benchmark ("I dag", the caseload list, a job customer's page, a company's
page, Resultater) makes at most PAGE_MAX_QUERIES queries whatever the data size; the tests
assert the same count with 1 and with many rows and this bound (two-factor login and the
sections other apps add to the shared pages come out of it). `varig bench` measures the
latency budgets at national scale.
"""

PAGE_MAX_QUERIES = 20
