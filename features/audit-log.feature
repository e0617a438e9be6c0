@audit
Feature: Find and export entries in the organization's audit log
  An Owner, Admin or Security Manager reads what happened in the organization: the newest
  entries first, fifty to a page, narrowed by event, application, person or days, and exported
  as a CSV file for a spreadsheet or an auditor. Each scenario looks at the entries it caused,
  so it holds whatever else the log already contains.

  Scenario: The newest entries come first, fifty to a page
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"
    And the identity provider has provisioned 55 people into "Acme"
    When she looks up the identity provider's entries in the audit log of "Acme"
    Then the audit log shows entries 1 to 50 of 55, newest first
    When she turns to the older entries
    Then the audit log shows entries 51 to 55 of 55, newest first

  Scenario Outline: Filtering by <column> keeps only the matching entries
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"
    And the identity provider has provisioned 3 people into "Acme"
    When she opens the audit log of "Acme"
    And she filters the audit log by the <column> "<value>"
    Then every entry the audit log shows has the <column> "<value>"

    Examples:
      | column      | value                 |
      | event       | SCIM token generated  |
      | application | SCIM API              |
      | user        | Olivia Owner          |

  Scenario Outline: A date range keeps only the entries of those days
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"
    And the identity provider has provisioned 3 people into "Acme"
    When she looks up the identity provider's entries in the audit log of "Acme"
    And she limits the audit log to the days from <first day> to <last day>
    Then the audit log shows <count> entries of the identity provider

    Examples:
      | first day | last day  | count |
      | today     | today     | 3     |
      | yesterday | yesterday | 0     |

  Scenario: The export holds exactly the filtered entries
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"
    And the identity provider has provisioned 3 people into "Acme"
    When she looks up the identity provider's entries in the audit log of "Acme"
    And she exports the audit log
    Then the exported file holds exactly the entries shown, in the same order

  Scenario: A user name that looks like a spreadsheet formula is exported as text
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"
    And the identity provider has provisioned a person whose user name is a spreadsheet formula
    When she looks up the identity provider's entries in the audit log of "Acme"
    And she exports the audit log
    Then the exported entry about that person keeps the formula as text

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
