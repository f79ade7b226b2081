// Package assets bundles and minifies the portal's CSS and JavaScript with
// esbuild's Go API (no Node), in memory, and names each output after its
// content hash (/assets/site-<hash>.css) so pages can be cached forever and
// a changed stylesheet is a new URL.
package assets

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// Entry points inside the source FS (see package web).
const (
	CSSEntry    = "css/site.css"
	JSEntry     = "js/site.js"
	SearchEntry = "js/search.js" // only the search page loads it
)

// File is one output file; Path is relative to the site root ("assets/…").
type File struct {
	Path string
	Data []byte
}

// Bundle is the result of Build.
type Bundle struct {
	CSS string // URL path of the stylesheet, e.g. "/assets/site-3F2A…css"
	JS  string // URL path of the script every page loads
	// Search is the URL path of the search page's script.
	Search string
	Files  []File // sorted by Path
}

// namespace of the source files inside esbuild: they come from an fs.FS
// (the embedded web/ sources), never from the disk.
const namespace = "web"

// Build bundles CSSEntry and JSEntry from src. Output is deterministic: the
// same sources give the same bytes and names.
func Build(src fs.FS) (*Bundle, error) {
	res := api.Build(api.BuildOptions{
		EntryPoints:       []string{CSSEntry, JSEntry, SearchEntry},
		Bundle:            true,
		Write:             false,
		AbsWorkingDir:     "/",
		Outdir:            "/assets",
		EntryNames:        "[name]-[hash]",
		MinifyWhitespace:  true,
		MinifySyntax:      true,
		MinifyIdentifiers: true,
		Target:            api.ES2017,
		Charset:           api.CharsetUTF8,
		LegalComments:     api.LegalCommentsNone,
		LogLevel:          api.LogLevelSilent,
		Plugins:           []api.Plugin{fsPlugin(src)},
	})
	if len(res.Errors) > 0 {
		return nil, messagesError(res.Errors)
	}
	b := &Bundle{}
	for _, f := range res.OutputFiles {
		rel := strings.TrimPrefix(f.Path, "/")
		b.Files = append(b.Files, File{Path: rel, Data: f.Contents})
		switch path.Ext(rel) {
		case ".css":
			b.CSS = "/" + rel
		case ".js":
			if strings.HasPrefix(path.Base(rel), "search-") {
				b.Search = "/" + rel
			} else {
				b.JS = "/" + rel
			}
		}
	}
	sort.Slice(b.Files, func(i, j int) bool { return b.Files[i].Path < b.Files[j].Path })
	if b.CSS == "" || b.JS == "" || b.Search == "" {
		return nil, errors.New("assets: esbuild produced no stylesheet or no script")
	}
	return b, nil
}

// fsPlugin makes esbuild read every file, entry points and imports alike,
// from src. Paths inside the namespace are slash-separated and relative to
// the root of src.
func fsPlugin(src fs.FS) api.Plugin {
	return api.Plugin{
		Name: "fs",
		Setup: func(pb api.PluginBuild) {
			pb.OnResolve(api.OnResolveOptions{Filter: ".*"}, func(a api.OnResolveArgs) (api.OnResolveResult, error) {
				p := a.Path
				if a.Kind != api.ResolveEntryPoint {
					if !strings.HasPrefix(p, "./") && !strings.HasPrefix(p, "../") {
						return api.OnResolveResult{}, fmt.Errorf("只能引用本地相对路径：%s", p)
					}
					p = path.Join(path.Dir(a.Importer), p)
				}
				p = path.Clean(strings.TrimPrefix(p, "/"))
				if !fs.ValidPath(p) {
					return api.OnResolveResult{}, fmt.Errorf("非法路径：%s", a.Path)
				}
				return api.OnResolveResult{Path: p, Namespace: namespace}, nil
			})
			pb.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: namespace}, func(a api.OnLoadArgs) (api.OnLoadResult, error) {
				data, err := fs.ReadFile(src, a.Path)
				if err != nil {
					return api.OnLoadResult{}, err
				}
				s := string(data)
				loader := api.LoaderJS
				if path.Ext(a.Path) == ".css" {
					loader = api.LoaderCSS
				}
				return api.OnLoadResult{Contents: &s, Loader: loader}, nil
			})
		},
	}
}

func messagesError(msgs []api.Message) error {
	var b strings.Builder
	for i, m := range msgs {
		if i > 0 {
			b.WriteByte('\n')
		}
		if l := m.Location; l != nil {
			// esbuild's columns are 0-based byte offsets.
			fmt.Fprintf(&b, "%s:%d:%d: ", l.File, l.Line, l.Column+1)
		}
		b.WriteString(m.Text)
	}
	return fmt.Errorf("assets: %s", b.String())
}
