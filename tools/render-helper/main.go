// Command render-helper is Launchpad's long-lived renderer: it runs `helm template` requests with helm's own library
// (the action.Install client in client-only dry-run mode, exactly as helm's CLI does) in one process, so a cold render
// of many applications pays process start-up and chart loading once instead of once per application.
//
// Protocol (stdin → stdout): every message is a 4-byte big-endian length followed by that many bytes of JSON.
// Requests are {id, tool, args}; responses are {id, exitCode, stdout, stderr} or {id, unsupported} when the helper
// does not handle these arguments exactly like the CLI (the caller then runs the real binary). Requests run on N
// workers; responses are written as they finish, so they may arrive out of order.
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
)

type request struct {
	ID   uint64   `json:"id"`
	Tool string   `json:"tool"`
	Args []string `json:"args"`
}

type response struct {
	ID          uint64 `json:"id"`
	ExitCode    int    `json:"exitCode"`
	Stdout      string `json:"stdout"`
	Stderr      string `json:"stderr"`
	Unsupported string `json:"unsupported,omitempty"`
}

// maxFrame bounds one request so a corrupt length cannot make the helper allocate gigabytes.
const maxFrame = 64 << 20

func readFrame(r io.Reader) ([]byte, error) {
	var header [4]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, err
	}
	size := binary.BigEndian.Uint32(header[:])
	if size > maxFrame {
		return nil, fmt.Errorf("frame of %d bytes is larger than %d", size, maxFrame)
	}
	body := make([]byte, size)
	_, err := io.ReadFull(r, body)
	return body, err
}

type frameWriter struct {
	mu  sync.Mutex
	out *bufio.Writer
}

func (w *frameWriter) write(message response) error {
	body, err := json.Marshal(message)
	if err != nil {
		return err
	}
	var header [4]byte
	binary.BigEndian.PutUint32(header[:], uint32(len(body)))
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, err := w.out.Write(header[:]); err != nil {
		return err
	}
	if _, err := w.out.Write(body); err != nil {
		return err
	}
	return w.out.Flush()
}

func handle(renderer *helmRenderer, req request) response {
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
	out := &frameWriter{out: bufio.NewWriterSize(os.Stdout, 1<<16)}
	jobs := make(chan request)
	var wg sync.WaitGroup
	for range max(*workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for req := range jobs {
				if err := out.write(handle(renderer, req)); err != nil {
					fmt.Fprintf(os.Stderr, "render-helper: cannot write a response: %v\n", err)
					os.Exit(2)
				}
			}
		}()
	}

	in := bufio.NewReaderSize(os.Stdin, 1<<16)
	for {
		body, err := readFrame(in)
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "render-helper: cannot read a request: %v\n", err)
			os.Exit(2)
		}
		var req request
		if err := json.Unmarshal(body, &req); err != nil {
			fmt.Fprintf(os.Stderr, "render-helper: malformed request: %v\n", err)
			os.Exit(2)
		}
		jobs <- req
	}
	// stdin closed: the parent is done (or gone); finish what is in flight and exit.
	close(jobs)
	wg.Wait()
}
