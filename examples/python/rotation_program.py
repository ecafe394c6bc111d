"""Zero-downtime rotation of a deployer's client credential: a RotatingClientCredential keeps two DPoD
credentials, py-deployer-a and py-deployer-b, and each rotation gives the idle one a fresh secret and makes
it current, so the pair consumers hold keeps working until the next rotation.

Config: `rotation` (change it and the next update rotates once) and `minRotationIntervalHours` (a rotation
sooner than this after the previous one is refused; unset, the resource's default of 24 hours). The
provider is the default one: the tenant's api_appowner credential from stack config dpod:* or DPOD_*.
"""

import pulumi
import pulumi_dpod as dpod


def rotation_program() -> None:
    config = pulumi.Config()

    deployer = dpod.RotatingClientCredential(
        "py-deployer",
        name="py-deployer",
        role="dpod.tenant.api_appowner",
        rotation_triggers={"rotation": config.get("rotation") or "initial"},
        rotate_after_days=90,
        min_rotation_interval_hours=config.get_int("minRotationIntervalHours"),
    )

    # Consumers take the current pair, both values together (the client id alternates between the two).
    pulumi.export("clientId", deployer.client_id)
    pulumi.export("clientSecret", deployer.client_secret)  # secret: the SDK marks it so
    pulumi.export("currentSlot", deployer.current_slot)
