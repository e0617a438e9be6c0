@audit
Feature: Find and export entries in the organization's audit log
  An Owner, Admin or Security Manager reads what happened in the organization: the newest
  entries first, fifty to a page, narrowed by event, application, person or days, and exported
  as a CSV file for a spreadsheet or an auditor.

  Scenario: The newest entries come first, fifty to a page
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"
    And the identity provider has provisioned 55 people into "Acme"
    When she opens the audit log of "Acme"
    Then the audit log shows entries 1 to 50 of 57, newest first
    When she turns to the older entries
    Then the audit log shows entries 51 to 57 of 57, newest first

  Scenario Outline: Filtering by <column> keeps only the matching entries
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"
    And the identity provider has provisioned 3 people into "Acme"
    When she opens the audit log of "Acme"
    And she filters the audit log by the <column> "<value>"
    Then the audit log shows <count> entries, each with the <column> "<value>"

    Examples:
      | column      | value                | count |
      | event       | SCIM token generated | 1     |
      | application | SCIM API             | 3     |

  Scenario: Filtering by user keeps only that person's entries
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"
    And the identity provider has provisioned 3 people into "Acme"
    When she opens the audit log of "Acme"
    And she filters the audit log by the user "Olivia"
    Then the audit log shows 2 entries, each by a user named "Olivia Owner"

  Scenario: Days without entries show that nothing matches
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"
    When she opens the audit log of "Acme"
    And she limits the audit log to the days from yesterday to yesterday
    Then the audit log says that no entry matches the filters

  Scenario: The export holds exactly the filtered entries
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"
    And the identity provider has provisioned 3 people into "Acme"
    When she opens the audit log of "Acme"
    And she filters the audit log by the application "SCIM API"
    And she exports the audit log
    Then the exported file holds exactly the entries shown, in the same order

  Scenario: A user name that looks like a spreadsheet formula is exported as text
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"
    And the identity provider has provisioned a person whose user name is "=HYPERLINK(A1)"
    When she opens the audit log of "Acme"
    And she exports the audit log
    Then the exported entry about "=HYPERLINK(A1)" is kept as text, not a formula

  Scenario: The audit log fits a 1280 pixel wide window
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"
    And the identity provider has provisioned 3 people into "Acme"
    When she opens the audit log of "Acme"
    Then the audit log fits the window without scrolling sideways

  @roles
  Scenario Outline: A <role> cannot export the audit log
    Given <person>, the <role> of "Acme", is signed in
    When <person> goes straight to the audit log export address of "Acme"
    Then the server answers 403 with the page "You don't have access to this page"

    Examples:
      | person | role                     |
      | Max    | Member                   |
      | Paula  | Product Analytics Viewer |
