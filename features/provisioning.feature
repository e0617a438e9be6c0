@provisioning
Feature: An identity provider provisions people into an organization
  Once an Owner has connected an identity provider to her organization (SCIM 2.0 on and a
  bearer token handed over), the identity provider creates, looks up, deactivates and deletes
  people through the SCIM API. They join and leave the organization's users, and every change
  is in the audit log under the SCIM API. Every person a scenario creates has a name of its
  own and is deleted when the scenario ends.

  Background:
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"

  Scenario: A provisioned person joins the organization as a Member
    When the identity provider provisions a new person "Jane Doe"
    Then Olivia sees Jane Doe among the users of "Acme" as a Member added by SCIM

  Scenario: Provisioning a person is recorded in the audit log
    When the identity provider provisions a new person "Jane Doe"
    Then the audit log of "Acme" records "User provisioned" for Jane Doe by the SCIM API

  Scenario: A person Microsoft Entra ID deactivates leaves the organization's users
    Given the identity provider has provisioned a new person "Jane Doe"
    When Microsoft Entra ID deactivates Jane Doe
    Then Olivia no longer sees Jane Doe among the users of "Acme"

  Scenario: Deactivating a person is recorded in the audit log
    Given the identity provider has provisioned a new person "Jane Doe"
    When Microsoft Entra ID deactivates Jane Doe
    Then the audit log of "Acme" records "User deactivated" for Jane Doe by the SCIM API

  Scenario: A deactivated person is still known to the identity provider
    Given the identity provider has provisioned a new person "Jane Doe"
    When Microsoft Entra ID deactivates Jane Doe
    Then the identity provider still finds Jane Doe, deactivated

  Scenario: A deleted person leaves the organization
    Given the identity provider has provisioned a new person "Jane Doe"
    When the identity provider deletes Jane Doe
    Then Olivia no longer sees Jane Doe among the users of "Acme"

  Scenario: Deleting a person is recorded in the audit log
    Given the identity provider has provisioned a new person "Jane Doe"
    When the identity provider deletes Jane Doe
    Then the audit log of "Acme" records "User deprovisioned" for Jane Doe by the SCIM API

  Scenario: Deleting a person twice finds nobody the second time
    Given the identity provider has provisioned a new person "Jane Doe"
    And the identity provider has deleted Jane Doe
    When the identity provider deletes Jane Doe again
    Then it is answered "404 Not Found"

  Scenario: Okta looks a person up by user name, whatever the capitals
    Given the identity provider has provisioned a new person "Jane Doe"
    When Okta looks up the user name of Jane Doe written in capitals
    Then Okta finds exactly one user, Jane Doe

  @group_mapping
  Scenario: A group Microsoft Entra ID pushes gives its members the group's roles
    Given the identity provider has provisioned a new person "Jane Doe"
    And Microsoft Entra ID has pushed the group "Engineers"
    And "Engineers" grants the organization role "Admin" with "Developer" on "Docs Portal"
    When Microsoft Entra ID adds Jane Doe to "Engineers"
    Then Olivia sees that Jane Doe is "Admin" in "Acme" through the group "Engineers"
    And she sees that Jane Doe is "Developer" on "Docs Portal" of "Acme" through the group "Engineers"

  @group_mapping
  Scenario: A group Okta pushes gives its members the group's roles
    Given the identity provider has provisioned a new person "Jane Doe"
    And Okta has pushed the group "Engineers"
    And "Engineers" grants the organization role "Admin" with "Developer" on "Docs Portal"
    When Okta pushes the membership of Jane Doe in "Engineers"
    Then Olivia sees that Jane Doe is "Admin" in "Acme" through the group "Engineers"
    And she sees that Jane Doe is "Developer" on "Docs Portal" of "Acme" through the group "Engineers"
