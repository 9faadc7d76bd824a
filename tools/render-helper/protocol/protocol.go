// Package protocol is the wire format and serving loop shared by Launchpad's render helpers (helm and kustomize,
// built as separate programs because their module graphs pin different versions of shared modules).
//
// Every message is a 4-byte big-endian length followed by that many bytes of JSON, both ways, over stdin/stdout.
// Requests are {id, tool, args}; responses are {id, exitCode, stdout, stderr} or {id, unsupported} when the helper
// does not handle these arguments exactly like the CLI (the caller then runs the real binary). Requests run on N
// workers; responses are written as they finish, so they may arrive out of order. stdin closing ends the helper.
package protocol

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
)

type Request struct {
	ID   uint64   `json:"id"`
	Tool string   `json:"tool"`
	Args []string `json:"args"`
}

type Response struct {
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

func (w *frameWriter) write(message Response) error {
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

// Serve answers framed requests from stdin on stdout with handle, on workers goroutines, until stdin closes; then
// it finishes what is in flight and returns. A broken pipe or a malformed frame ends the process: the caller sees
// the helper die and restarts it.
func Serve(name string, workers int, handle func(Request) Response) {
	out := &frameWriter{out: bufio.NewWriterSize(os.Stdout, 1<<16)}
	jobs := make(chan Request)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for req := range jobs {
				if err := out.write(handle(req)); err != nil {
					fmt.Fprintf(os.Stderr, "%s: cannot write a response: %v\n", name, err)
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
			fmt.Fprintf(os.Stderr, "%s: cannot read a request: %v\n", name, err)
			os.Exit(2)
		}
		var req Request
		if err := json.Unmarshal(body, &req); err != nil {
			fmt.Fprintf(os.Stderr, "%s: malformed request: %v\n", name, err)
			os.Exit(2)
		}
		jobs <- req
	}
	// stdin closed: the parent is done (or gone); finish what is in flight and return.
	close(jobs)
	wg.Wait()
}
