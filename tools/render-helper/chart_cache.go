package main

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
)

// chartCache keeps parsed charts keyed by folder and a digest of the folder's file tree (names, sizes, modes and
// modification times, following links as helm's loader does), so charts shared by many applications are read and
// parsed once. It is bounded by the sum of the charts' file sizes; the least recently used chart goes first.
type chartCache struct {
	mu       sync.Mutex
	limit    int64
	used     int64
	order    *list.List // front = most recently used
	byDigest map[string]*list.Element
}

type cachedChart struct {
	digest string
	chart  *chart.Chart
	size   int64
}

func newChartCache(limit int64) *chartCache {
	return &chartCache{limit: limit, order: list.New(), byDigest: map[string]*list.Element{}}
}

// load returns a private copy of the chart at path: installing a chart mutates it (enabled dependencies, imported
// values), so the cached original is never handed out.
func (c *chartCache) load(path string) (*chart.Chart, error) {
	info, err := os.Stat(path)
	if err != nil || !info.IsDir() {
		return loader.Load(path)
	}
	digest, err := treeDigest(path)
	if err != nil {
		return loader.Load(path)
	}
	if cached := c.get(digest); cached != nil {
		return cloneChart(cached), nil
	}
	loaded, err := loader.Load(path)
	if err != nil {
		return nil, err
	}
	c.put(digest, loaded)
	return cloneChart(loaded), nil
}

func (c *chartCache) get(digest string) *chart.Chart {
	c.mu.Lock()
	defer c.mu.Unlock()
	element, ok := c.byDigest[digest]
	if !ok {
		return nil
	}
	c.order.MoveToFront(element)
	return element.Value.(*cachedChart).chart
}

func (c *chartCache) put(digest string, loaded *chart.Chart) {
	size := chartSize(loaded)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byDigest[digest]; ok || size > c.limit {
		return
	}
	c.byDigest[digest] = c.order.PushFront(&cachedChart{digest: digest, chart: loaded, size: size})
	c.used += size
	for c.used > c.limit {
		oldest := c.order.Back()
		entry := oldest.Value.(*cachedChart)
		c.order.Remove(oldest)
		delete(c.byDigest, entry.digest)
		c.used -= entry.size
	}
}

func chartSize(c *chart.Chart) int64 {
	var size int64
	for _, file := range c.Raw {
		size += int64(len(file.Data))
	}
	for _, dependency := range c.Dependencies() {
		size += chartSize(dependency)
	}
	return size
}

// treeDigest fingerprints a chart folder without reading file contents: a changed file changes its size or
// modification time. Links are followed, as helm's loader follows them.
func treeDigest(root string) (string, error) {
	hash := sha256.New()
	fmt.Fprintf(hash, "%s\n", root)
	var walk func(dir string, depth int) error
	walk = func(dir string, depth int) error {
		if depth > 64 {
			return fmt.Errorf("%s: folders nested too deep (a link cycle?)", dir)
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, entry := range entries {
			full := filepath.Join(dir, entry.Name())
			info, err := os.Stat(full)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, full)
			fmt.Fprintf(hash, "%s\x00%d\x00%o\x00%d\n", rel, info.Size(), info.Mode(), info.ModTime().UnixNano())
			if info.IsDir() {
				if err := walk(full, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(root, 0); err != nil {
		return "", err
	}
	return hex.EncodeToString(hash.Sum(nil)), nil
}

// cloneChart copies what installing a chart changes — metadata (dependency Enabled/ImportValues), values and the
// dependency list — and shares the read-only file contents.
func cloneChart(original *chart.Chart) *chart.Chart {
	copied := &chart.Chart{
		Raw:       original.Raw,
		Metadata:  cloneMetadata(original.Metadata),
		Lock:      original.Lock,
		Templates: original.Templates,
		Values:    cloneValue(original.Values).(map[string]interface{}),
		Schema:    original.Schema,
		Files:     original.Files,
	}
	for _, dependency := range original.Dependencies() {
		copied.AddDependency(cloneChart(dependency))
	}
	return copied
}

func cloneMetadata(original *chart.Metadata) *chart.Metadata {
	if original == nil {
		return nil
	}
	copied := *original
	if original.Dependencies != nil {
		copied.Dependencies = make([]*chart.Dependency, len(original.Dependencies))
		for i, dependency := range original.Dependencies {
			d := *dependency
			d.Tags = append([]string(nil), dependency.Tags...)
			d.ImportValues = cloneValue(dependency.ImportValues).([]interface{})
			copied.Dependencies[i] = &d
		}
	}
	return &copied
}

func cloneValue(value interface{}) interface{} {
	switch typed := value.(type) {
	case map[string]interface{}:
		if typed == nil {
			return typed
		}
		copied := make(map[string]interface{}, len(typed))
		for key, item := range typed {
			copied[key] = cloneValue(item)
		}
		return copied
	case []interface{}:
		if typed == nil {
			return typed
		}
		copied := make([]interface{}, len(typed))
		for i, item := range typed {
			copied[i] = cloneValue(item)
		}
		return copied
	default:
		return value
	}
}
