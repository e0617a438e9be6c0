@group_mapping
Feature: SCIM groups grant organization and stack roles
  Once SCIM 2.0 is on, an Owner, Admin or Security Manager maps each group the identity
  provider pushes to an organization role (Admin or Member) and a role per stack. A person gets
  the highest organization role among their mapped groups and, per stack, the highest stack
  role; the Users page says which group gave what. Every person and group a scenario creates is
  deleted when it ends.

  Scenario: Mapping a group grants its roles to its members
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"
    And the identity provider has provisioned a new person "Jane Doe"
    And the identity provider has pushed the group "Engineers" with Jane Doe in it
    When Olivia maps "Engineers" to the organization role "Admin" with "Developer" on "Docs Portal"
    Then she sees that Jane Doe is "Admin" in "Acme" through the group "Engineers"
    And she sees that Jane Doe is "Developer" on "Docs Portal" of "Acme" through the group "Engineers"

  Scenario: A role given through a group is in the audit log, naming the group
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"
    And the identity provider has provisioned a new person "Jane Doe"
    And the identity provider has pushed the group "Engineers" with Jane Doe in it
    When Olivia maps "Engineers" to the organization role "Admin" with "Developer" on "Docs Portal"
    Then the audit log of "Acme" records "Role changed" for Jane Doe naming the group "Engineers"

  Scenario: A person in two groups gets the higher organization role and both stacks' roles
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"
    And the identity provider has provisioned a new person "Jane Doe"
    And the identity provider has pushed the group "Writers" with Jane Doe in it
    And the identity provider has pushed the group "Leads" with Jane Doe in it
    And "Writers" grants the organization role "Member" with "Content Manager" on "Docs Portal"
    And "Leads" grants the organization role "Admin" with "Developer" on "Marketing Site"
    Then Olivia sees that Jane Doe is "Admin" in "Acme" through the group "Leads"
    And she sees that Jane Doe is "Content Manager" on "Docs Portal" of "Acme" through the group "Writers"
    And she sees that Jane Doe is "Developer" on "Marketing Site" of "Acme" through the group "Leads"

  Scenario: Leaving a group takes back only what that group granted
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"
    And the identity provider has provisioned a new person "Jane Doe"
    And the identity provider has pushed the group "Writers" with Jane Doe in it
    And the identity provider has pushed the group "Leads" with Jane Doe in it
    And "Writers" grants the organization role "Member" with "Content Manager" on "Docs Portal"
    And "Leads" grants the organization role "Admin" with "Developer" on "Marketing Site"
    When the identity provider removes Jane Doe from "Leads"
    Then Olivia sees that Jane Doe is "Content Manager" on "Docs Portal" of "Acme" through the group "Writers"
    And she sees that Jane Doe has no role on "Marketing Site" of "Acme"
    And she sees Jane Doe among the users of "Acme" as a Member added by SCIM

  Scenario: Deleting a group keeps its members in the organization
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"
    And the identity provider has provisioned a new person "Jane Doe"
    And the identity provider has pushed the group "Leads" with Jane Doe in it
    And "Leads" grants the organization role "Admin" with "Developer" on "Marketing Site"
    When the identity provider deletes the group "Leads"
    Then Olivia sees Jane Doe among the users of "Acme" as a Member added by SCIM
    And she no longer finds "Leads" in the Group Mapping of "Acme"

  Scenario: The Owner in a mapped Member group stays Owner
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"
    And the identity provider has provisioned Olivia's own account
    And the identity provider has pushed the group "Everyone" with Olivia in it
    When Olivia maps "Everyone" to the organization role "Member" with "Content Manager" on "Docs Portal"
    Then she sees that Olivia is still the Owner of "Acme"
    And she sees that Olivia is "Content Manager" on "Docs Portal" of "Acme" through the group "Everyone"

  @api @audit
  Scenario Outline: A <role> can not map groups, and the refusal is audited
    Given <person>, the <role> of "Acme", is signed in
    When <person> sends a group mapping for "Acme" from the browser session
    Then the server refuses it with status 403
    And the audit log of "Acme" records "SCIM settings change refused" by "<person>"

    Examples:
      | person | role                     |
      | Max    | Member                   |
      | Paula  | Product Analytics Viewer |
