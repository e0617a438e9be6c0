@conformance
Feature: A SCIM vendor learns whether their service conforms
  A vendor, or an identity team judging one, points the conformance checker at a SCIM 2.0
  service with a bearer token. The report names every broken rule with its RFC section, says
  which identity providers the service works with, and whatever the run creates it removes
  again. The stub's own SCIM service is the reference: it passes every check.

  Background:
    Given SCIM 2.0 is enabled for "Acme" with a fresh token

  Scenario: The reference service passes every RFC 7643 and RFC 7644 check
    When the vendor checks the SCIM service of "Acme"
    Then no conformance check fails or errors

  Scenario: Checking a service leaves nothing behind in it
    When the vendor checks how the SCIM service of "Acme" manages users and groups
    Then nothing the checks created is left in "Acme"

  Scenario: A service that answers plain JSON is told which rule it breaks
    Given a vendor's SCIM service that answers "application/json" instead of "application/scim+json"
    When the vendor checks the content types of that service
    Then the report fails the check "content-type.scim-json" citing "RFC 7644 §3.8"

  Scenario Outline: The reference service works with <idp>
    When the <idp> profile replays its requests against the SCIM service of "Acme"
    Then the <idp> compatibility verdict is "compatible"

    Examples:
      | idp      |
      | entra    |
      | okta     |
      | onelogin |

  Scenario: A read-only check only reads
    When the vendor checks the SCIM service of "Acme" read-only
    Then the run sent no request that writes
