"""A subscriber group, an application owner in it, and a CI client credential whose secret is exported as
a secret output and reset once whenever the `rotation` config value changes.

Two credentials, because DPoD splits the work by role: the default provider (stack config dpod:*, or the
environment DPOD_*) is the tenant's api_appowner credential, for groups and client credentials; the
explicit provider service_provider is the service provider's api_spadmin credential, for users of the child
tenant named by tenantId. Settings it leaves out (api_url, token_url) come from the environment.
"""

import pulumi
import pulumi_dpod as dpod


def dpod_program() -> None:
    config = pulumi.Config()

    service_provider = dpod.Provider(
        "serviceProvider",
        client_id=config.require("spClientId"),
        client_secret=config.require_secret("spClientSecret"),
    )

    ops = dpod.SubscriberGroup("ops", name="ops", description="Operations")

    alice = dpod.User(
        "alice",
        username="alice@example.com",
        given_name="Alice",
        family_name="Doe",
        account_role="dpod.tenant.appowner",
        subscriber_groups=[ops.id],
        tenant_id=config.require("tenantId"),
        opts=pulumi.ResourceOptions(provider=service_provider),
    )

    ci = dpod.ClientCredential(
        "ci",
        name="ci-pipeline",
        role="dpod.tenant.api_appowner",
        # Change the value (e.g. each quarter) and the next update resets the secret once.
        rotation_triggers={"quarter": config.get("rotation") or "2026Q4"},
    )

    pulumi.export("opsGroupId", ops.id)
    pulumi.export("aliceUserId", alice.id)
    pulumi.export("ciClientId", ci.client_id)
    pulumi.export("ciClientSecret", ci.client_secret)  # a secret output: the SDK marks client_secret secret
