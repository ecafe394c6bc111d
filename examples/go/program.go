package main

import (
	"github.com/pulumi-dpod/pulumi-dpod/sdk/go/dpod"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// dpodProgram declares a subscriber group, an application owner in it, and a CI client credential whose
// secret is exported as a secret output and reset once whenever the `rotation` config value changes.
//
// Two credentials, because DPoD splits the work by role: the default provider (stack config dpod:*, or the
// environment DPOD_*) is the tenant's api_appowner credential, for groups and client credentials; the
// explicit provider serviceProvider is the service provider's api_spadmin credential, for users of the
// child tenant named by tenantId. Settings it leaves out (apiUrl, tokenUrl) come from the environment.
func dpodProgram(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")

	serviceProvider, err := dpod.NewProvider(ctx, "serviceProvider", &dpod.ProviderArgs{
		ClientId:     pulumi.String(cfg.Require("spClientId")),
		ClientSecret: cfg.RequireSecret("spClientSecret"),
	})
	if err != nil {
		return err
	}

	ops, err := dpod.NewSubscriberGroup(ctx, "ops", &dpod.SubscriberGroupArgs{
		Name:        pulumi.String("ops"),
		Description: pulumi.String("Operations"),
	})
	if err != nil {
		return err
	}

	alice, err := dpod.NewUser(ctx, "alice", &dpod.UserArgs{
		Username:         pulumi.String("alice@example.com"),
		GivenName:        pulumi.String("Alice"),
		FamilyName:       pulumi.String("Doe"),
		AccountRole:      pulumi.String("dpod.tenant.appowner"),
		SubscriberGroups: pulumi.StringArray{ops.ID().ToStringOutput()},
		TenantId:         pulumi.String(cfg.Require("tenantId")),
	}, pulumi.Provider(serviceProvider))
	if err != nil {
		return err
	}

	rotation := cfg.Get("rotation")
	if rotation == "" {
		rotation = "2026Q4"
	}
	ci, err := dpod.NewClientCredential(ctx, "ci", &dpod.ClientCredentialArgs{
		Name: pulumi.String("ci-pipeline"),
		Role: pulumi.String("dpod.tenant.api_appowner"),
		// Change the value (e.g. each quarter) and the next update resets the secret once.
		RotationTriggers: pulumi.StringMap{"quarter": pulumi.String(rotation)},
	})
	if err != nil {
		return err
	}

	ctx.Export("opsGroupId", ops.ID())
	ctx.Export("aliceUserId", alice.ID())
	ctx.Export("ciClientId", ci.ClientId)
	ctx.Export("ciClientSecret", ci.ClientSecret) // a secret output: the SDK marks clientSecret secret
	return nil
}
