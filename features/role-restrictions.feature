@roles
Feature: Only SCIM managers change the SCIM 2.0 settings
  Owners, Admins and Security Managers manage SCIM 2.0. Members and Product Analytics
  Viewers do not see Organization Settings, and the server refuses them even when they
  forge the request. A plan without SCIM cannot switch it on, and tenants stay apart.

  Scenario Outline: A person without the right role finds no Settings in the menu
    Given <person>, the <role> of "Acme", is signed in
    When <person> opens the ORGANIZATION menu
    Then the menu offers no Settings entry

    Examples:
      | person | role                     |
      | Max    | Member                   |
      | Paula  | Product Analytics Viewer |

  Scenario Outline: A person without the right role is refused the SCIM 2.0 settings address
    Given <person>, the <role> of "Acme", is signed in
    When <person> goes straight to the SCIM 2.0 settings address of "Acme"
    Then the server answers 403 with the page "You don't have access to this page"

    Examples:
      | person | role                     |
      | Max    | Member                   |
      | Paula  | Product Analytics Viewer |

  @api
  Scenario Outline: The server refuses a forged request to enable SCIM 2.0
    Given SCIM 2.0 is off for "Acme"
    And <person>, the <role> of "Acme", is signed in
    When <person> sends a request to enable SCIM 2.0 for "Acme" from the browser session
    Then the server refuses it with status 403
    And SCIM 2.0 is still off for "Acme"

    Examples:
      | person | role                     |
      | Max    | Member                   |
      | Paula  | Product Analytics Viewer |

  @api @audit
  Scenario: A refused request is recorded in the audit log
    Given Max, the Member of "Acme", is signed in
    When he sends a request to enable SCIM 2.0 for "Acme" from the browser session
    Then the audit log of "Acme" records "SCIM settings change refused" by "Max"

  Scenario: A plan without SCIM explains whom to contact
    Given Bob, the Owner of "Basic Co", is signed in
    When he opens the SCIM 2.0 settings of "Basic Co"
    Then the page explains that the plan does not include SCIM 2.0
    And the Enable SCIM checkbox is disabled

  @api
  Scenario: The server refuses to enable SCIM 2.0 on a plan without it
    Given Bob, the Owner of "Basic Co", is signed in
    When he sends a request to enable SCIM 2.0 for "Basic Co" from the browser session
    Then the server refuses it with status 403
    And SCIM 2.0 is still off for "Basic Co"

  @api
  Scenario: An Owner of one organization cannot change another
    Given Olivia, the Owner of "Acme", is signed in
    When she sends a request to enable SCIM 2.0 for "Basic Co" from the browser session
    Then the server refuses it with status 404
    And SCIM 2.0 is still off for "Basic Co"

  Scenario: A signed-out visitor is asked to sign in first
    Given nobody is signed in
    When a visitor opens the SCIM 2.0 settings address of "Acme"
    Then the sign-in page is shown

  Scenario: After signing in, the visitor lands where they were going
    Given a signed-out visitor has been sent to sign in from the SCIM 2.0 settings of "Acme"
    When Olivia, the Owner of "Acme", signs in there
    Then the SCIM 2.0 settings of "Acme" are shown
