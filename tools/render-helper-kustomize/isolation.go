package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/yaml"
)

// needsOwnProcess says why a kustomization must be built by the binary rather than in this shared process, or ""
// when it can be built here. Two things make a build depend on more than its own files:
//   - an `openapi:` field: kustomize keeps the OpenAPI schema in process-wide variables (kyaml/openapi), so one
//     build's custom schema would leak into concurrent and later builds;
//   - a remote resource (a git URL or anything that is not a local file or folder): fetching is the binary's job,
//     with its own clone folder and timeout. Telling a URL from a missing file is kustomize's internal business, so
//     a missing file goes to the binary too, which then says what is wrong in its own words.
//
// The scan follows local resources, components, bases, generators, transformers and validators that are folders,
// and reads each kustomization file once.
func needsOwnProcess(root string) string {
	seen := map[string]bool{}
	var visit func(dir string, depth int) string
	visit = func(dir string, depth int) string {
		if seen[dir] {
			return ""
		}
		seen[dir] = true
		if depth > 64 {
			return fmt.Sprintf("%s: kustomizations nested too deep", dir)
		}
		file, text := readKustomization(dir)
		if file == "" {
			return "" // not a kustomization: kustomize reads it (or fails) without process-wide state
		}
		if bytes.Contains(text, []byte("openapi")) {
			return fmt.Sprintf("%s sets an OpenAPI schema, which kustomize keeps process-wide", file)
		}
		var fields map[string]interface{}
		if err := yaml.Unmarshal(text, &fields); err != nil {
			// Without the word "openapi" it cannot set a schema; kustomize reports the syntax error in its own words.
			return ""
		}
		for _, field := range []string{"resources", "bases", "components", "generators", "transformers", "validators"} {
			entries, _ := fields[field].([]interface{})
			for _, entry := range entries {
				name, ok := entry.(string)
				if !ok {
					continue // an inline generator or transformer configuration
				}
				target := name
				if !filepath.IsAbs(target) {
					target = filepath.Join(dir, name)
				}
				info, err := os.Stat(target)
				if err != nil {
					return fmt.Sprintf("%s: %s is not a local file or folder (remote resources and missing files are left to the binary)", file, name)
				}
				if info.IsDir() {
					if reason := visit(target, depth+1); reason != "" {
						return reason
					}
				}
			}
		}
		return ""
	}
	return visit(filepath.Clean(root), 0)
}

// readKustomization finds the folder's kustomization file under the names kustomize recognises, in its order.
func readKustomization(dir string) (string, []byte) {
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		file := filepath.Join(dir, name)
		text, err := os.ReadFile(file)
		if err == nil {
			return file, text
		}
	}
	return "", nil
}
