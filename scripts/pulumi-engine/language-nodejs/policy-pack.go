package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"

	policysdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// RunPlugin starts a Node.js policy pack for `pulumi preview|up --policy-pack <dir>`.
//
// How the engine gets here: for a policy pack whose PulumiPolicy.yaml names `runtime: nodejs`, the CLI
// asks the installed Node.js language host to run it (RunPlugin, kind "analyzer", program directory = the
// pack's directory, args = [engine address]); only without a language host would it look for a
// `pulumi-analyzer-policy` launcher instead. The contract kept here:
//   - the pack runs as `node [nodeargs] <@pulumi/pulumi/cmd/run-policy-pack> <engine address> <pack dir>`,
//     the runner resolved from the pack's directory (so the pack's own @pulumi/pulumi runs it), with the
//     pack's directory as working directory;
//   - the engine first talks to a proxy (the SDK's PolicyProxy, whose port is the first line of stdout):
//     it answers Handshake and ConfigureStack itself, so the pack can be started with the stack's
//     identity and configuration in its environment (PULUMI_NODEJS_STACK, PULUMI_NODEJS_PROJECT,
//     PULUMI_NODEJS_ORGANIZATION, PULUMI_NODEJS_DRY_RUN, PULUMI_CONFIG), then it forwards every other
//     call to the pack;
//   - the pack's stdout (after its port line) and stderr stream back to the engine.
func (h *languageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	if req.GetKind() != string(apitype.AnalyzerPlugin) {
		return status.Errorf(codes.Unimplemented,
			"pulumi-dpod's Node.js language host runs policy packs only, not %q plugins", req.GetKind())
	}
	ctx := server.Context()
	info := req.GetInfo()
	if info == nil {
		return errors.New("the engine sent no policy pack information")
	}
	packDir := info.GetProgramDirectory()
	opts, err := parseRuntimeOptions(info.GetOptions().AsMap())
	if err != nil {
		return err
	}
	runner, err := resolveFromProgram("@pulumi/pulumi/cmd/run-policy-pack", packDir)
	if err != nil {
		return err
	}

	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	proxy, packStdout, err := policysdk.NewPolicyProxy(ctx, stdout)
	if err != nil {
		return fmt.Errorf("could not start the policy pack proxy: %w", err)
	}
	stackConfig, err := proxy.AwaitConfiguration(ctx)
	if err != nil {
		return fmt.Errorf("could not receive the stack configuration for the policy pack: %w", err)
	}

	env := append(os.Environ(), req.GetEnv()...)
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	// nil when the engine runs the pack outside a stack (e.g. to read its metadata).
	if stackConfig != nil {
		setIfAny := func(name, value string) {
			if value != "" {
				env = append(env, name+"="+value)
			}
		}
		setIfAny("PULUMI_NODEJS_ORGANIZATION", stackConfig.GetOrganization())
		setIfAny("PULUMI_NODEJS_PROJECT", stackConfig.GetProject())
		setIfAny("PULUMI_NODEJS_STACK", stackConfig.GetStack())
		setIfAny("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(stackConfig.GetDryRun()))
		configJSON, err := legacyConfigJSON(stackConfig.GetConfig())
		if err != nil {
			return fmt.Errorf("could not serialize the stack config for the policy pack: %w", err)
		}
		env = append(env, "PULUMI_CONFIG="+configJSON)
	}

	args := append([]string{}, opts.nodeargs...)
	args = append(args, runner)
	args = append(args, req.GetArgs()...)
	args = append(args, packDir)
	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = packDir
	cmd.Env = env
	cmd.Stdout = packStdout
	cmd.Stderr = stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not run node for the policy pack: %w", err)
	}
	h.track(cmd, true)
	defer h.track(cmd, false)
	if err := proxy.Attach(ctx, cmd); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return fmt.Errorf("the policy pack exited with code %d", exitErr.ExitCode())
		}
		return fmt.Errorf("could not attach to the policy pack: %w", err)
	}
	return closer.Close()
}
