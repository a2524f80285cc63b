"""Reading the audit's TAP logs: which tests passed, and why the others failed."""

from audit_tap import parse_tests_log

__all__: list[str] = []

PASSING_AND_FAILING = """TAP version 13
# Subtest: shared-root
    # Subtest: shared-root_0
    ok 1 - shared-root_0
      ---
      duration_ms: 10.5
      type: 'test'
      ...
    # Subtest: shared-root_1
    not ok 2 - shared-root_1
      ---
      duration_ms: 12.1
      type: 'test'
      failureType: 'testCodeFailure'
      error: |-
        Test failed for query

              query {
                product { id  name }
              }

        - Expected
        + Received
      code: 'ERR_ASSERTION'
      expected:
        data:
          product:
            id: '1'
            name: 'Table'
        errors: ~
      actual:
        data:
          product:
            id: '1'
            name: ~
        errors: ~
      operator: 'deepStrictEqual'
      ...
    1..2
not ok 1 - shared-root
  ---
  type: 'suite'
  ...
"""

GATEWAY_DOWN = """    # Subtest: node_0
    not ok 1 - node_0
      ---
      duration_ms: 3.2
      type: 'test'
      failureType: 'testCodeFailure'
      error: 'fetch failed'
      code: 'ERR_TEST_FAILURE'
      ...
"""


def test_a_log_with_one_pass_and_one_failure_counts_one_of_each_and_ignores_the_suite_line():
    result = parse_tests_log("shared-root", PASSING_AND_FAILING)
    assert (result.passed, result.failed, result.total) == (1, 1, 2)
    assert [case.name for case in result.cases] == ["shared-root_0", "shared-root_1"]


def test_a_failed_comparison_names_the_first_differing_field_and_the_query_on_one_line():
    failure = parse_tests_log("shared-root", PASSING_AND_FAILING).cases[1]
    assert failure.query == "query { product { id name } }"
    assert failure.reason == 'data.product.name: expected "Table", got null'


def test_a_request_that_never_got_an_answer_reports_the_transport_error():
    failure = parse_tests_log("node", GATEWAY_DOWN).cases[0]
    assert not failure.passed
    assert failure.reason == "fetch failed"


def test_a_log_without_test_lines_is_a_suite_problem_not_a_pass():
    result = parse_tests_log("typename", "# Health check failed\n")
    assert result.total == 0
    assert result.problem == "Health check failed"


def test_a_suite_whose_name_prefixes_another_does_not_take_the_other_suites_tests():
    text = "    ok 1 - fed1-external-extends-resolvable_0\n"
    assert parse_tests_log("fed1-external-extends", text).total == 0


EMPTY_OBJECT_VERSUS_NULL = """    not ok 1 - union-intersection_8
      ---
      error: |-
        Test failed for query

              query { aMedia { ... on Movie { title } } }

        - Expected
        + Received
      expected:
        data:
          aMedia:
        errors: ~
      actual:
        data:
          aMedia: ~
        errors: ~
      ...
"""


def test_an_empty_object_node_wrote_as_a_bare_key_is_not_mistaken_for_null():
    failure = parse_tests_log("union-intersection", EMPTY_OBJECT_VERSUS_NULL).cases[0]
    assert failure.reason == "data.aMedia: expected {}, got null"
