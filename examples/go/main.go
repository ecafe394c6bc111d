// Command dpod-example-go runs dpodProgram (program.go) with the Pulumi Automation API's inline mode: the
// program runs in this process, and the `pulumi` CLI (started with --client) needs no Go language host.
//
//	go run . [flags] up        create or update the stack
//	go run . [flags] preview   preview with refresh; fails when anything would change
//	go run . [flags] outputs   the stack outputs as JSON, secret ones as "[secret]" unless -show-secrets
//	go run . [flags] destroy   delete everything the stack holds
//
// The stack's settings live in the working directory (Pulumi.yaml and Pulumi.<stack>.yaml); the state goes
// to the backend the environment names (PULUMI_BACKEND_URL, else `pulumi login`). Before up and preview,
// the program's config is taken from the environment where set: DPOD_SP_CLIENT_ID, DPOD_SP_CLIENT_SECRET
// (stored as a secret), DPOD_TENANT_ID and DPOD_ROTATION. The tenant credential and the API addresses are
// the provider's own environment settings (DPOD_API_URL, DPOD_TOKEN_URL, DPOD_CLIENT_ID,
// DPOD_CLIENT_SECRET), or stack config dpod:*.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// configFromEnvironment maps environment variables to the program's config keys.
var configFromEnvironment = []struct {
	env, key string
	secret   bool
}{
	{"DPOD_SP_CLIENT_ID", "spClientId", false},
	{"DPOD_SP_CLIENT_SECRET", "spClientSecret", true},
	{"DPOD_TENANT_ID", "tenantId", false},
	{"DPOD_ROTATION", "rotation", false},
}

func main() {
	stackName := flag.String("stack", "dev", "the stack")
	pluginDir := flag.String("plugin-dir", "",
		"the directory holding pulumi-resource-dpod (empty: the plugin installed in Pulumi's plugin cache)")
	pulumiRoot := flag.String("pulumi-root", "", "the directory holding bin/pulumi (empty: pulumi on PATH)")
	showSecrets := flag.Bool("show-secrets", false, "outputs: print secret values")
	policyPack := flag.String("policy-pack", "",
		"up and preview: run this policy pack (a directory, e.g. node_modules/pulumi-dpod-policies)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: dpod-example-go [flags] up|preview|outputs|destroy")
		os.Exit(2)
	}
	if err := run(context.Background(), flag.Arg(0), *stackName, *pluginDir, *pulumiRoot, *policyPack,
		*showSecrets); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(ctx context.Context, command, stackName, pluginDir, pulumiRoot, policyPack string, showSecrets bool) error {
	cli, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: pulumiRoot})
	if err != nil {
		return err
	}
	project := workspace.Project{
		Name:    "dpod-go",
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
	}
	if pluginDir != "" {
		project.Plugins = &workspace.Plugins{
			Providers: []workspace.PluginOptions{{Name: "dpod", Path: pluginDir}},
		}
	}
	workDir, err := os.Getwd()
	if err != nil {
		return err
	}
	stack, err := auto.UpsertStackInlineSource(ctx, stackName, project.Name.String(), dpodProgram,
		auto.WorkDir(workDir), auto.Project(project), auto.Pulumi(cli))
	if err != nil {
		return err
	}

	switch command {
	case "up", "preview":
		for _, item := range configFromEnvironment {
			if value, ok := os.LookupEnv(item.env); ok {
				err := stack.SetConfig(ctx, item.key, auto.ConfigValue{Value: value, Secret: item.secret})
				if err != nil {
					return err
				}
			}
		}
		if command == "up" {
			upOptions := []optup.Option{optup.ProgressStreams(os.Stderr)}
			if policyPack != "" {
				upOptions = append(upOptions, optup.PolicyPacks(policyPack))
			}
			_, err = stack.Up(ctx, upOptions...)
			return err
		}
		// ExpectNoChanges: any difference between the program, the state and DPoD fails the preview.
		previewOptions := []optpreview.Option{optpreview.Refresh(), optpreview.ExpectNoChanges(),
			optpreview.ProgressStreams(os.Stderr)}
		if policyPack != "" {
			previewOptions = append(previewOptions, optpreview.PolicyPacks(policyPack))
		}
		result, err := stack.Preview(ctx, previewOptions...)
		if err != nil {
			return err
		}
		return printJSON(result.ChangeSummary)
	case "outputs":
		outputs, err := stack.Outputs(ctx)
		if err != nil {
			return err
		}
		shown := map[string]any{}
		for name, output := range outputs {
			shown[name] = output.Value
			if output.Secret && !showSecrets {
				shown[name] = "[secret]"
			}
		}
		return printJSON(shown)
	case "destroy":
		_, err = stack.Destroy(ctx, optdestroy.ProgressStreams(os.Stderr))
		return err
	default:
		return fmt.Errorf("unknown command %q (up, preview, outputs, destroy)", command)
	}
}

func printJSON(value any) error {
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetIndent("", "  ")
	return encoder.Encode(value)
}
