Feature: A deliberately failing scenario
  Only the report tests run this feature (tests/integration/features/test_feature_reports.py):
  it fails on purpose at its third step, so the reports must show that step failed, the one
  after it skipped, a screenshot and a trace.

  Scenario: SCIM 2.0 checked against the wrong expectation
    Given Olivia, the Owner of "Acme", is signed in
    And she has enabled SCIM 2.0 for "Acme"
    Then SCIM 2.0 is still off for "Acme"
    And the SCIM 2.0 settings show SCIM as enabled
