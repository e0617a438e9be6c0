@provisioning
Feature: An identity provider provisions people into an organization
  Once an Owner has connected an identity provider to her organization (SCIM 2.0 on and a
  bearer token handed over), the identity provider creates, looks up, deactivates and deletes
  people through the SCIM API. They join and leave the organization's users, and every change
  is in the audit log under the SCIM API.

  Background:
    Given Olivia, the Owner of "Acme", is signed in
    And she has connected an identity provider to "Acme"

  Scenario: A provisioned person joins the organization as a Member
    When the identity provider provisions "Jane Doe" with the e-mail "jane.doe@acme.example"
    Then Olivia sees Jane Doe among the users of "Acme" as a Member added by SCIM
    And the audit log of "Acme" records "User provisioned" for Jane Doe by the SCIM API

  Scenario: Microsoft Entra ID deactivates a person
    Given the identity provider has provisioned "Jane Doe" with the e-mail "jane.doe@acme.example"
    When Microsoft Entra ID deactivates Jane Doe
    Then Olivia no longer sees Jane Doe among the users of "Acme"
    And the identity provider still finds Jane Doe, deactivated
    And the audit log of "Acme" records "User deactivated" for Jane Doe by the SCIM API

  Scenario: A deleted person leaves the organization, and deleting again finds nobody
    Given the identity provider has provisioned "Jane Doe" with the e-mail "jane.doe@acme.example"
    When the identity provider deletes Jane Doe
    Then Olivia no longer sees Jane Doe among the users of "Acme"
    And deleting Jane Doe again is answered "404 Not Found"
    And the audit log of "Acme" records "User deprovisioned" for Jane Doe by the SCIM API

  Scenario: Okta looks a person up by e-mail before creating them
    Given the identity provider has provisioned "Jane Doe" with the e-mail "jane.doe@acme.example"
    When Okta looks up the user name "JANE.DOE@Acme.Example"
    Then Okta finds exactly one user, Jane Doe
