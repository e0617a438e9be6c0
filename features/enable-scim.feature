@enable_scim
Feature: Enable SCIM 2.0 for an organization
  An Owner, Admin or Security Manager switches SCIM 2.0 on in Organization Settings,
  then hands the SCIM base URL and a bearer token to the identity provider.
  The token is shown once; a new one replaces the old one; switching SCIM off revokes it.

  Scenario Outline: A SCIM manager enables SCIM 2.0
    Given SCIM 2.0 is off for "Acme"
    And <person>, the <role> of "Acme", is signed in
    When <person> enables SCIM 2.0 for "Acme"
    Then the SCIM 2.0 settings show SCIM as enabled

    Examples:
      | person | role             |
      | Olivia | Owner            |
      | Adam   | Admin            |
      | Sara   | Security Manager |

  Scenario: Enabled SCIM 2.0 shows the organization's SCIM base URL
    Given SCIM 2.0 is off for "Acme"
    And Olivia, the Owner of "Acme", is signed in
    When she enables SCIM 2.0 for "Acme"
    Then the SCIM 2.0 settings show the SCIM base URL of "Acme"

  Scenario: Cancelling the confirmation leaves SCIM 2.0 off
    Given SCIM 2.0 is off for "Acme"
    And Olivia, the Owner of "Acme", is signed in
    When she ticks Enable SCIM for "Acme" and cancels the confirmation
    Then the Enable SCIM checkbox is not ticked
    And SCIM 2.0 is still off for "Acme"

  Scenario: SCIM 2.0 stays enabled after signing in again
    Given Olivia, the Owner of "Acme", is signed in
    And she has enabled SCIM 2.0 for "Acme"
    When she signs out and signs in again
    And she opens the SCIM 2.0 settings of "Acme"
    Then the SCIM 2.0 settings show SCIM as enabled

  Scenario: A new token is shown with a warning
    Given SCIM 2.0 is off for "Acme"
    And Olivia, the Owner of "Acme", is signed in
    And she has enabled SCIM 2.0 for "Acme"
    When she generates a SCIM token
    Then the new token is shown with a warning that it will not be shown again

  Scenario: The new token can be copied
    Given SCIM 2.0 is off for "Acme"
    And Olivia, the Owner of "Acme", is signed in
    And she has enabled SCIM 2.0 for "Acme"
    When she generates a SCIM token
    And she copies the new token
    Then the clipboard holds the new token

  @api
  Scenario: The new token opens the SCIM API
    Given SCIM 2.0 is off for "Acme"
    And Olivia, the Owner of "Acme", is signed in
    And she has enabled SCIM 2.0 for "Acme"
    When she generates a SCIM token
    Then the SCIM API accepts the new token

  Scenario: The token is not shown again
    Given SCIM 2.0 is off for "Acme"
    And Olivia, the Owner of "Acme", is signed in
    And she has enabled SCIM 2.0 for "Acme"
    When she generates a SCIM token and reloads the page
    Then no token is shown, only the last four characters of the new token

  @api
  Scenario: Generating a second token revokes the first
    Given Olivia, the Owner of "Acme", is signed in
    And she has generated a SCIM token for "Acme"
    When she generates another SCIM token
    Then the SCIM API refuses the first token
    And the SCIM API accepts the second token

  Scenario: The settings describe the newest token
    Given Olivia, the Owner of "Acme", is signed in
    And she has generated a SCIM token for "Acme"
    When she generates another SCIM token
    Then the settings show the last four characters of the second token

  Scenario: Disabling SCIM 2.0 switches it off after a confirmation
    Given Olivia, the Owner of "Acme", is signed in
    And she has generated a SCIM token for "Acme"
    When she disables SCIM 2.0 and confirms
    Then the SCIM 2.0 settings show SCIM as disabled
    And SCIM 2.0 is still off for "Acme"

  @api
  Scenario: Disabling SCIM 2.0 revokes the token
    Given Olivia, the Owner of "Acme", is signed in
    And she has generated a SCIM token for "Acme"
    When she disables SCIM 2.0 and confirms
    Then the SCIM API refuses the first token

  @audit
  Scenario: The audit log records every SCIM change
    Given SCIM 2.0 is off for "Acme"
    And Olivia, the Owner of "Acme", is signed in
    And she has generated a SCIM token for "Acme"
    When she generates another SCIM token
    And she opens the audit log of "Acme"
    Then the newest audit log entries are these events by "Olivia Owner":
      | Event                | Application           |
      | SCIM token generated | Organization Settings |
      | SCIM token revoked   | Organization Settings |
      | SCIM token generated | Organization Settings |
      | SCIM enabled         | Organization Settings |
