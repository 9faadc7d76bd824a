// Command render-helper-kustomize is Launchpad's long-lived renderer for kustomize: it answers `kustomize build`
// requests with kustomize's own API (krusty) at the version of the kustomize binary Launchpad builds, in one
// process, so a cold render of many overlays pays process start-up once instead of once per application.
//
// It is a separate program from tools/render-helper (helm) because the two link different versions of shared
// modules (sigs.k8s.io/yaml, kube-openapi): one binary would have to raise kustomize's above what its binary is built
// with, and the output could drift. Both speak the framed protocol in tools/render-helper/protocol.
package main

import (
	"flag"
	"fmt"
	"runtime"

	"launchpad.dev/render-helper/protocol"
)

func handle(req protocol.Request) protocol.Response {
	switch {
	case req.Tool == "kustomize" && len(req.Args) > 0 && req.Args[0] == "build":
		return buildResponse(req.ID, req.Args[1:])
	case req.Tool == "version":
		return protocol.Response{ID: req.ID, Stdout: helperVersion()}
	default:
		return protocol.Response{ID: req.ID, Unsupported: fmt.Sprintf("%s %v is not handled by the helper", req.Tool, req.Args)}
	}
}

func main() {
	workers := flag.Int("workers", runtime.NumCPU(), "builds run at the same time")
	printVersion := flag.Bool("version", false, "print the versions linked in and exit")
	flag.Parse()
	if *printVersion {
		fmt.Println(helperVersion())
		return
	}
	protocol.Serve("render-helper-kustomize", *workers, handle)
}
