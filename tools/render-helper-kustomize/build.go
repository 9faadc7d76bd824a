package main

import (
	"os"
	"path/filepath"
	"strings"

	"launchpad.dev/render-helper/protocol"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/provenance"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	// Linked for its module version only: provenance reads the version of sigs.k8s.io/kustomize/kustomize/v5 from
	// the build info, and `buildMetadata: [managedByLabel]` writes it into every object (kustomize-v5.7.1 in the
	// binary, where that module is the main one). Without a package of it linked in, the label would say (devel).
	_ "sigs.k8s.io/kustomize/kustomize/v5/commands/build"
)

// buildResponse answers `kustomize build <absolute folder>`, the only form Launchpad runs. Flags, a missing or
// relative path (resolved against a working folder the helper does not share) and kustomizations that touch
// process-wide state are refused as unsupported, so the caller runs the binary rather than risk different output.
func buildResponse(id uint64, args []string) protocol.Response {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") || !filepath.IsAbs(args[0]) {
		return protocol.Response{ID: id, Unsupported: "only `build <absolute folder>` is handled"}
	}
	if reason := needsOwnProcess(args[0]); reason != "" {
		return protocol.Response{ID: id, Unsupported: reason}
	}
	output, err := build(args[0])
	if err != nil {
		// kustomize's CLI (cobra) prints "Error: <message>" and exits 1; the caller runs the binary for its wording.
		return protocol.Response{ID: id, ExitCode: 1, Stderr: "Error: " + err.Error() + "\n"}
	}
	return protocol.Response{ID: id, Stdout: output}
}

// build does what `kustomize build DIR` does with no flags: the options are HonorKustomizeFlags applied to
// krusty.MakeDefaultOptions with every flag at its default, the file system is the real disk, and the output is
// the resource map as YAML.
func build(path string) (string, error) {
	options := krusty.MakeDefaultOptions()
	options.Reorder = krusty.ReorderOptionUnspecified // --reorder not given
	options.LoadRestrictions = types.LoadRestrictionsRootOnly
	options.PluginConfig.HelmConfig.Enabled = false // --enable-helm not given: helmCharts fail as in the binary
	options.PluginConfig.HelmConfig.Command = "helm"
	options.PluginConfig.HelmConfig.ApiVersions = []string{}
	options.PluginConfig.HelmConfig.KubeVersion = ""
	options.PluginConfig.HelmConfig.Debug = false
	// --enable-managedby-label not given, so only the environment switches it on (the helper inherits Launchpad's).
	value, set := os.LookupEnv(konfig.EnableManagedbyLabelEnv)
	options.AddManagedbyLabel = set && value == "on"

	resources, err := krusty.MakeKustomizer(options).Run(filesys.MakeFsOnDisk(), path)
	if err != nil {
		return "", err
	}
	yaml, err := resources.AsYaml()
	if err != nil {
		return "", err
	}
	return string(yaml), nil
}

func helperVersion() string {
	return "render-helper-kustomize kustomize=" + provenance.GetProvenance().Semver()
}
