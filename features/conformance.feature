@conformance
Feature: The stub's SCIM service passes the conformance checks
  The conformance library judges the stub's SCIM 2.0 service the way an identity team would
  judge a vendor's: every RFC 7643/7644 area, the request shapes of Entra ID, Okta and
  OneLogin, and a read-only run that must not write anything. Whatever a run creates is
  removed again.

  Background:
    Given SCIM 2.0 is enabled for "Acme" with a fresh token

  Scenario Outline: The <area> checks pass
    When the <area> conformance checks run against the SCIM service of "Acme"
    Then no conformance check fails or errors
    And nothing the checks created is left in "Acme"

    Examples:
      | area         |
      | discovery    |
      | users        |
      | groups       |
      | auth         |
      | errors       |
      | content-type |
      | query        |
      | patch        |
      | etag         |
      | bulk         |
      | search       |
      | claims       |

  Scenario Outline: The stub is compatible with <idp>
    When the <idp> profile replays its requests against the SCIM service of "Acme"
    Then the <idp> compatibility verdict is "compatible"

    Examples:
      | idp      |
      | entra    |
      | okta     |
      | onelogin |

  Scenario: A read-only run only reads
    When a read-only conformance run checks the SCIM service of "Acme"
    Then no conformance check fails or errors
    And the run sent no request that writes
