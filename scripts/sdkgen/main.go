// Command sdkgen generates the Python and Go SDKs of the native plugin from its package schema with
// Pulumi's own code generators (pkg/v3/codegen/python and pkg/v3/codegen/go, at the version go.mod pins).
//
//	go run . -schema ../../provider/native/pulumi-schema.json -out ../../sdk
//
// It writes <out>/python and <out>/go, replacing what is there, so files the generators no longer emit
// disappear. Output depends only on the schema and this module's pinned versions: no clock, no
// environment, no network (the Go SDK's go.sum is written by scripts/sdkgen/generate.sh afterwards).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	pygen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// tool is the name the generators write into each file's "do not edit" header.
const tool = "pulumi-dpod sdkgen"

// goSDKModule and pulumiSDKVersion make sdk/go a module of its own: its import paths are
// <goSDKModule>/dpod (the schema's language.go.importBasePath), and it builds against the Go SDK of the same
// Pulumi version as the engine the tests drive.
const (
	goSDKModule      = "github.com/pulumi-dpod/pulumi-dpod/sdk/go"
	pulumiSDKVersion = "v3.248.0"
	goVersion        = "1.25"
)

func main() {
	schemaPath := flag.String("schema", "", "the package schema (JSON)")
	out := flag.String("out", "", "the directory that receives python/ and go/")
	flag.Parse()
	if *schemaPath == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*schemaPath, *out); err != nil {
		fmt.Fprintf(os.Stderr, "sdkgen: %v\n", err)
		os.Exit(1)
	}
}

func run(schemaPath, out string) error {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	if spec.Version == "" {
		// Without a version the generators fall back to placeholders (0.0.0) and the SDKs would not name
		// the plugin version they need.
		return fmt.Errorf("%s has no version", schemaPath)
	}

	python, err := generatePython(spec)
	if err != nil {
		return fmt.Errorf("python: %w", err)
	}
	golang, err := generateGo(spec)
	if err != nil {
		return fmt.Errorf("go: %w", err)
	}
	if err := writeTree(filepath.Join(out, "python"), python); err != nil {
		return err
	}
	return writeTree(filepath.Join(out, "go"), golang)
}

// noPackages is the loader the binder and generators get: the schema references no other package, so any
// request for one is an error rather than a plugin download or a look into the plugin cache.
type noPackages struct{}

func (noPackages) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema refers to package %q; sdkgen loads no other package", name)
}

func (noPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return noPackages{}.LoadPackage(d.Name, nil)
}

func (noPackages) LoadPackageReference(name string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the schema refers to package %q; sdkgen loads no other package", name)
}

func (noPackages) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return noPackages{}.LoadPackageReference(d.Name, nil)
}

// bind validates the schema against Pulumi's metaschema, as `pulumi package gen-sdk` does. Each generator
// gets its own bound package: they record language-specific data on it.
func bind(spec schema.PackageSpec) (*schema.Package, error) {
	pkg, diags, err := schema.BindSpec(spec, noPackages{}, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return pkg, nil
}

func generatePython(spec schema.PackageSpec) (map[string][]byte, error) {
	pkg, err := bind(spec)
	if err != nil {
		return nil, err
	}
	files, err := pygen.GeneratePackage(tool, pkg, nil, noPackages{})
	if err != nil {
		return nil, err
	}
	// pyproject.toml names README.md beside it as the project's readme (pip refuses to build without it);
	// `pulumi package gen-sdk` copies the package README there, and so does this.
	readme, ok := files["pulumi_dpod/README.md"]
	if !ok {
		return nil, fmt.Errorf("the Python generator wrote no pulumi_dpod/README.md")
	}
	files["README.md"] = readme
	return files, nil
}

func generateGo(spec schema.PackageSpec) (map[string][]byte, error) {
	pkg, err := bind(spec)
	if err != nil {
		return nil, err
	}
	files, err := gogen.GeneratePackage(tool, pkg, nil)
	if err != nil {
		return nil, err
	}
	files["go.mod"] = []byte(fmt.Sprintf("module %s\n\ngo %s\n\nrequire github.com/pulumi/pulumi/sdk/v3 %s\n",
		goSDKModule, goVersion, pulumiSDKVersion))
	return files, nil
}

// writeTree replaces dir with exactly files (paths relative to dir), in a stable order.
func writeTree(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		target := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}
