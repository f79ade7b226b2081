// Package layouts holds the portal's default html/template files. They are
// embedded so a content-only repository builds; a site's own layouts/
// folder overrides them file by file.
package layouts

import "embed"

// FS holds every *.html layout.
//
//go:embed *.html
var FS embed.FS
