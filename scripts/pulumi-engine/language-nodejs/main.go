// Command pulumi-language-nodejs is pulumi-dpod's own minimal Node.js language host for the Pulumi
// engine used by our end-to-end tests and the demo.
//
// Why it exists: upstream's language host lives in its own Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) which has no release tags, and the Go
// module proxy reachable here refuses every pseudo-version of it ("This module version is not available").
// The CLI itself (pkg/v3) and the SDK (sdk/v3) are served, so we build the CLI from them and provide the
// language runtime here, written against the public gRPC contract in sdk/v3/proto.
//
// Contract kept (what the engine and @pulumi/pulumi expect of a Node.js language host):
//   - started as `pulumi-language-nodejs [--version] [<engine address>]`, it serves the LanguageRuntime
//     gRPC service on 127.0.0.1 at a kernel-chosen port and prints that port on one line of stdout;
//   - Run resolves `@pulumi/pulumi/cmd/run` from the program directory (so the program's own SDK is used),
//     and starts `node [nodeargs] <run> --monitor … --engine … --project … --stack … --pwd … [--dry-run]
//     --parallel N <entry point> [args…]`, with the stack config in PULUMI_CONFIG (keys in the legacy
//     `<namespace>:config:<name>` form the SDK reads) and the secret keys in PULUMI_CONFIG_SECRET_KEYS;
//   - the Pulumi.yaml runtime options `typescript` (default true), `tsconfig` and `nodeargs` are honoured;
//   - exit code 32 means the program already reported an actionable error: the run "bails" quietly.
//
//   - RunPlugin runs Node.js policy packs (plugin kind "analyzer"), the way `pulumi preview --policy-pack`
//     starts them when a Node.js language host is installed: see RunPlugin in policy-pack.go.
//
// Left out on purpose (not needed to run programs): dependency installation, code generation, packing,
// linking, debugging, other plugin kinds and synchronous invokes. Those RPCs answer Unimplemented, which
// the engine tolerates.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// exitCodeAlreadyReported is what @pulumi/pulumi's runner exits with after printing a user-actionable error.
const exitCodeAlreadyReported = 32

func main() {
	showVersion := flag.Bool("version", false, "print the plugin version and exit")
	// Flags the engine may pass; accepted for compatibility and otherwise unused.
	flag.String("tracing", "", "tracing endpoint (ignored)")
	flag.String("runtime", "nodejs", "JavaScript runtime (only nodejs is supported)")
	flag.Parse()

	if *showVersion {
		fmt.Println(version.Version)
		return
	}

	host := &languageHost{}
	if flag.NArg() > 0 {
		host.engineAddress = flag.Arg(0)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cancel := make(chan bool)
	go func() {
		<-ctx.Done()
		close(cancel)
	}()

	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start the gRPC server: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)

	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: server stopped: %v\n", err)
		os.Exit(1)
	}
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
	running       map[*exec.Cmd]struct{}
}

func (h *languageHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	h.engineAddress = req.GetEngineAddress()
	h.mu.Unlock()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// GetRequiredPackages reports no packages: the plugins our programs use (the dynamic-provider plugin
// pulumi-resource-pulumi-nodejs) are bundled next to the CLI and are loaded when a resource needs them.
func (h *languageHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *languageHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *languageHost) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *languageHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	nodePath, _ := exec.LookPath("node")
	out, _ := exec.Command("node", "--version").Output()
	return &pulumirpc.AboutResponse{Executable: nodePath, Version: strings.TrimSpace(string(out))}, nil
}

// Cancel interrupts every program this host started; the engine calls it on Ctrl-C.
func (h *languageHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for cmd := range h.running {
		if cmd.Process != nil {
			_ = cmd.Process.Signal(os.Interrupt)
		}
	}
	return &emptypb.Empty{}, nil
}

// runtimeOptions are the Pulumi.yaml `runtime.options` this host understands.
type runtimeOptions struct {
	typescript bool
	tsconfig   string
	nodeargs   []string
}

func parseRuntimeOptions(options map[string]any) (runtimeOptions, error) {
	opts := runtimeOptions{typescript: true}
	if v, ok := options["typescript"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return opts, errors.New("runtime option 'typescript' must be a boolean")
		}
		opts.typescript = b
	}
	if v, ok := options["tsconfig"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, errors.New("runtime option 'tsconfig' must be a string")
		}
		opts.tsconfig = s
	}
	if v, ok := options["nodeargs"]; ok {
		s, isString := v.(string)
		if !isString {
			return opts, errors.New("runtime option 'nodeargs' must be a string")
		}
		opts.nodeargs = strings.Fields(s)
	}
	return opts, nil
}

func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	if info == nil {
		return &pulumirpc.RunResponse{Error: "the engine sent no program information"}, nil
	}
	opts, err := parseRuntimeOptions(info.GetOptions().AsMap())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	runner, err := resolveFromProgram("@pulumi/pulumi/cmd/run", info.GetProgramDirectory())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	h.mu.Lock()
	engineAddress := h.engineAddress
	h.mu.Unlock()

	args := append([]string{}, opts.nodeargs...)
	args = append(args, runner)
	flagIfSet := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagIfSet("monitor", req.GetMonitorAddress())
	flagIfSet("engine", engineAddress)
	flagIfSet("organization", req.GetOrganization())
	flagIfSet("project", req.GetProject())
	flagIfSet("root-directory", info.GetRootDirectory())
	flagIfSet("stack", req.GetStack())
	flagIfSet("pwd", info.GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flagIfSet("parallel", strconv.Itoa(int(req.GetParallel())))
	args = append(args, info.GetEntryPoint())
	args = append(args, req.GetArgs()...)

	configJSON, err := legacyConfigJSON(req.GetConfig())
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not serialize the stack config: %v", err)}, nil
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	env := append(os.Environ(), "PULUMI_CONFIG="+configJSON, "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = info.GetProgramDirectory()
	cmd.Env = env
	// Through pipes rather than our own file descriptors: Node may switch a descriptor it inherits to
	// non-blocking mode, which would then affect this process's writes too.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second

	h.track(cmd, true)
	defer h.track(cmd, false)
	err = cmd.Run()
	if err == nil {
		return &pulumirpc.RunResponse{}, nil
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		if exitErr.ExitCode() == exitCodeAlreadyReported {
			return &pulumirpc.RunResponse{Bail: true}, nil
		}
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}, nil
	}
	return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run node: %v", err)}, nil
}

func (h *languageHost) track(cmd *exec.Cmd, add bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.running == nil {
		h.running = map[*exec.Cmd]struct{}{}
	}
	if add {
		h.running[cmd] = struct{}{}
	} else {
		delete(h.running, cmd)
	}
}

// resolveFromProgram asks node where `module` resolves from the program directory, so the program's own
// installed @pulumi/pulumi runs it.
func resolveFromProgram(module, programDir string) (string, error) {
	script := fmt.Sprintf("console.log(require.resolve(%q))", module)
	cmd := exec.Command("node", "-e", script)
	cmd.Dir = programDir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("could not find %s from %s; run `npm install` in the program directory first", module, programDir)
	}
	return strings.TrimSpace(string(out)), nil
}

// legacyConfigJSON renders the stack config with keys as `<namespace>:config:<name>`, the form every
// @pulumi/pulumi release reads from PULUMI_CONFIG.
func legacyConfigJSON(cfg map[string]string) (string, error) {
	out := make(map[string]string, len(cfg))
	for k, v := range cfg {
		key, err := config.ParseKey(k)
		if err != nil {
			return "", err
		}
		out[key.Namespace()+":config:"+key.Name()] = v
	}
	b, err := json.Marshal(out)
	return string(b), err
}
