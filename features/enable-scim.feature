@enable_scim
Feature: Enable SCIM 2.0 for an organization
  An Owner, Admin or Security Manager switches SCIM 2.0 on in Organization Settings,
  then hands the SCIM base URL and a bearer token to the identity provider.
  The token is shown once; a new one replaces the old one; switching SCIM off revokes it.

  Scenario Outline: A SCIM manager enables SCIM 2.0
    Given <person>, the <role> of "Acme", is signed in
    When <person> enables SCIM 2.0 for "Acme"
    Then the SCIM 2.0 settings show SCIM as enabled
    And the SCIM 2.0 settings show the SCIM base URL of "Acme"

    Examples:
      | person | role             |
      | Olivia | Owner            |
      | Adam   | Admin            |
      | Sara   | Security Manager |

  Scenario: Cancelling the confirmation leaves SCIM 2.0 off
    Given Olivia, the Owner of "Acme", is signed in
    When she ticks Enable SCIM for "Acme" and cancels the confirmation
    Then the Enable SCIM checkbox is not ticked
    And SCIM 2.0 is still off for "Acme"

  Scenario: SCIM 2.0 stays enabled after signing in again
    Given Olivia, the Owner of "Acme", is signed in
    And she has enabled SCIM 2.0 for "Acme"
    When she signs out and signs in again
    And she opens the SCIM 2.0 settings of "Acme"
    Then the SCIM 2.0 settings show SCIM as enabled

  @api
  Scenario: A new token is shown once
    Given Olivia, the Owner of "Acme", is signed in
    And she has enabled SCIM 2.0 for "Acme"
    When she generates a SCIM token
    Then the first token is shown once and can be copied
    And the SCIM API accepts the first token
    When she reloads the page
    Then no token is shown, only the last four characters of the first token

  @api
  Scenario: Generating a second token revokes the first
    Given Olivia, the Owner of "Acme", is signed in
    And she has generated a SCIM token for "Acme"
    When she generates another SCIM token
    Then the settings show the last four characters of the second token
    And the SCIM API refuses the first token
    And the SCIM API accepts the second token

  @api
  Scenario: Disabling SCIM 2.0 asks for confirmation and revokes the token
    Given Olivia, the Owner of "Acme", is signed in
    And she has generated a SCIM token for "Acme"
    When she disables SCIM 2.0 and confirms
    Then the SCIM 2.0 settings show SCIM as disabled
    And SCIM 2.0 is still off for "Acme"
    And the SCIM API refuses the first token

  @audit
  Scenario: The audit log records every SCIM change
    Given Olivia, the Owner of "Acme", is signed in
    And she has generated a SCIM token for "Acme"
    When she generates another SCIM token
    And she opens the audit log of "Acme"
    Then the audit log shows these events by "Olivia Owner", newest first:
      | Event                | Application           |
      | SCIM token generated | Organization Settings |
      | SCIM token revoked   | Organization Settings |
      | SCIM token generated | Organization Settings |
      | SCIM enabled         | Organization Settings |
