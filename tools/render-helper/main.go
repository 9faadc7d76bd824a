// Command render-helper is Launchpad's long-lived renderer for helm: it runs `helm template` requests with helm's
// own library (the action.Install client in client-only dry-run mode, exactly as helm's CLI does) in one process, so
// a cold render of many applications pays process start-up and chart loading once instead of once per application.
// The framed protocol it speaks is in ./protocol (shared with tools/render-helper-kustomize).
package main

import (
	"flag"
	"fmt"
	"runtime"

	"launchpad.dev/render-helper/protocol"
)

// response is the protocol's answer type, named locally because every handler in this package builds one.
type response = protocol.Response

func handle(renderer *helmRenderer, req protocol.Request) response {
	switch {
	case req.Tool == "helm" && len(req.Args) > 0 && req.Args[0] == "template":
		return renderer.template(req.ID, req.Args[1:])
	case req.Tool == "version":
		return response{ID: req.ID, Stdout: helperVersion()}
	default:
		return response{ID: req.ID, Unsupported: fmt.Sprintf("%s %v is not handled by the helper", req.Tool, req.Args)}
	}
}

func main() {
	workers := flag.Int("workers", runtime.NumCPU(), "renders run at the same time")
	cacheBytes := flag.Int64("chart-cache-bytes", 256<<20, "upper bound of the parsed-chart cache (sum of chart file sizes)")
	printVersion := flag.Bool("version", false, "print the versions linked in and exit")
	flag.Parse()
	if *printVersion {
		fmt.Println(helperVersion())
		return
	}
	renderer := newHelmRenderer(newChartCache(*cacheBytes))
	protocol.Serve("render-helper", *workers, func(req protocol.Request) response { return handle(renderer, req) })
}
