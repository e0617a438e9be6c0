@enable_scim
Feature: Replacing the SCIM token asks first
  Generating a new SCIM token revokes the one the identity provider uses, so while a token is
  live the SCIM 2.0 settings ask for confirmation first, and the server revokes nothing that
  was not confirmed.

  Scenario: Generating a token while one is live asks for confirmation
    Given Olivia, the Owner of "Acme", is signed in
    And she has generated a SCIM token for "Acme"
    When she starts generating another SCIM token
    Then she is asked to confirm that the first token stops working

  Scenario: Cancelling the confirmation keeps the token working
    Given Olivia, the Owner of "Acme", is signed in
    And she has generated a SCIM token for "Acme"
    When she starts generating another SCIM token and cancels
    Then the settings still show the last four characters of the first token
    And the SCIM API accepts the first token

  @api
  Scenario: A request that skips the confirmation revokes nothing
    Given Olivia, the Owner of "Acme", is signed in
    And she has generated a SCIM token for "Acme"
    When she sends a request to generate a SCIM token for "Acme" from the browser session without confirming
    Then the server refuses it with status 409
    And the SCIM API accepts the first token
