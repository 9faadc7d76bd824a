package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/cli"
	"helm.sh/helm/v3/pkg/cli/values"
	"helm.sh/helm/v3/pkg/getter"
	"helm.sh/helm/v3/pkg/release"
)

// helmRenderer answers `helm template` argument lists the way helm v3's `template` command does, step for step:
// the same flag names and types (so `--values a,b` splits as the CLI splits it), the same Install client settings,
// the same output assembly (manifest, then hooks with their `# Source:` headers). Only the chart loading differs: a
// parsed chart is taken from the cache and cloned, because installing mutates the chart it is given.
type helmRenderer struct {
	charts *chartCache
}

func newHelmRenderer(charts *chartCache) *helmRenderer {
	return &helmRenderer{charts: charts}
}

// templateFlags are the flags of `helm template` that Launchpad passes. Anything else is refused as unsupported so
// the caller runs the real binary rather than getting a render that might differ.
type templateFlags struct {
	settings    *cli.EnvSettings
	client      *action.Install
	valueOpts   *values.Options
	kubeVersion string
	extraAPIs   []string
	includeCRDs bool
	skipTests   bool
}

func parseTemplateFlags(args []string) (*templateFlags, []string, error) {
	parsed := &templateFlags{
		settings:  cli.New(),
		client:    action.NewInstall(newConfiguration()),
		valueOpts: &values.Options{},
	}
	f := pflag.NewFlagSet("template", pflag.ContinueOnError)
	f.SetOutput(discard{})
	parsed.settings.AddFlags(f) // helm's global flags, --namespace among them
	f.StringSliceVarP(&parsed.valueOpts.ValueFiles, "values", "f", []string{}, "")
	f.StringArrayVar(&parsed.valueOpts.Values, "set", []string{}, "")
	f.StringArrayVar(&parsed.valueOpts.StringValues, "set-string", []string{}, "")
	f.StringArrayVar(&parsed.valueOpts.FileValues, "set-file", []string{}, "")
	f.StringVar(&parsed.client.NameTemplate, "name-template", "", "")
	f.BoolVar(&parsed.client.SkipSchemaValidation, "skip-schema-validation", false, "")
	f.BoolVar(&parsed.includeCRDs, "include-crds", false, "")
	f.BoolVar(&parsed.skipTests, "skip-tests", false, "")
	f.StringVar(&parsed.kubeVersion, "kube-version", "", "")
	f.StringSliceVarP(&parsed.extraAPIs, "api-versions", "a", []string{}, "")
	if err := f.Parse(args); err != nil {
		return nil, nil, err
	}
	if parsed.settings.Debug {
		return nil, nil, errors.New("--debug changes the output")
	}
	return parsed, f.Args(), nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// newConfiguration is what `helm template` ends up with: client-only mode replaces the cluster client, release
// storage and capabilities inside Install.RunWithContext, so nothing here reaches a cluster.
func newConfiguration() *action.Configuration {
	return &action.Configuration{Log: func(string, ...interface{}) {}}
}

func (h *helmRenderer) template(id uint64, args []string) response {
	parsed, positional, err := parseTemplateFlags(args)
	if err != nil {
		return response{ID: id, Unsupported: err.Error()}
	}
	if len(positional) < 1 {
		return response{ID: id, Unsupported: "no chart given"}
	}
	stdout, err := h.run(parsed, positional)
	if err != nil {
		// helm prints "Error: <message>" and exits 1; the caller trims and wraps stderr as it does for the binary.
		return response{ID: id, ExitCode: 1, Stderr: "Error: " + err.Error() + "\n"}
	}
	return response{ID: id, Stdout: stdout}
}

func (h *helmRenderer) run(parsed *templateFlags, positional []string) (string, error) {
	client := parsed.client
	if parsed.kubeVersion != "" {
		kubeVersion, err := chartutil.ParseKubeVersion(parsed.kubeVersion)
		if err != nil {
			return "", fmt.Errorf("invalid kube version '%s': %s", parsed.kubeVersion, err)
		}
		client.KubeVersion = kubeVersion
	}
	client.Timeout = 300 * time.Second
	client.DryRunOption = "true"
	client.DryRun = true
	client.ReleaseName = "release-name"
	client.Replace = true
	client.ClientOnly = true
	client.APIVersions = chartutil.VersionSet(parsed.extraAPIs)
	client.IncludeCRDs = parsed.includeCRDs

	rel, err := h.install(parsed, positional)
	if err != nil {
		if rel != nil {
			return "", fmt.Errorf("%w\n\nUse --debug flag to render out invalid YAML", err)
		}
		return "", err
	}
	return assembleOutput(rel, client.DisableHooks, parsed.skipTests), nil
}

// install follows helm's runInstall for a local chart: name, locate, merge values, load, installable, dependencies.
func (h *helmRenderer) install(parsed *templateFlags, positional []string) (*release.Release, error) {
	client := parsed.client
	name, chartRef, err := client.NameAndChart(positional)
	if err != nil {
		return nil, err
	}
	client.ReleaseName = name
	chartPath, err := client.ChartPathOptions.LocateChart(chartRef, parsed.settings)
	if err != nil {
		return nil, err
	}
	vals, err := parsed.valueOpts.MergeValues(getter.All(parsed.settings))
	if err != nil {
		return nil, err
	}
	requested, err := h.charts.load(chartPath)
	if err != nil {
		return nil, err
	}
	if err := checkIfInstallable(requested); err != nil {
		return nil, err
	}
	if req := requested.Metadata.Dependencies; req != nil {
		if err := action.CheckDependencies(requested, req); err != nil {
			return nil, fmt.Errorf("An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: %w", err)
		}
	}
	client.Namespace = parsed.settings.Namespace()
	return client.RunWithContext(context.Background(), requested, vals)
}

func checkIfInstallable(requested *chart.Chart) error {
	switch requested.Metadata.Type {
	case "", "application":
		return nil
	}
	return fmt.Errorf("%s charts are not installable", requested.Metadata.Type)
}

// assembleOutput writes what `helm template` prints: the trimmed manifest, then every hook (tests unless skipped).
func assembleOutput(rel *release.Release, disableHooks bool, skipTests bool) string {
	var manifests strings.Builder
	fmt.Fprintln(&manifests, strings.TrimSpace(rel.Manifest))
	if !disableHooks {
		for _, hook := range rel.Hooks {
			if skipTests && isTestHook(hook) {
				continue
			}
			fmt.Fprintf(&manifests, "---\n# Source: %s\n%s\n", hook.Path, hook.Manifest)
		}
	}
	return manifests.String()
}

func isTestHook(hook *release.Hook) bool {
	for _, event := range hook.Events {
		if event == release.HookTest {
			return true
		}
	}
	return false
}

func helperVersion() string {
	caps := chartutil.DefaultCapabilities
	return fmt.Sprintf("render-helper helm=%s kube=%s", caps.HelmVersion.Version, caps.KubeVersion.Version)
}
