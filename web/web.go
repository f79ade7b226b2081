// Package web holds the portal's front-end sources (CSS and JavaScript).
// They are embedded so that the generator binary bundles them with esbuild
// itself: an agency's repository needs neither Node nor a copy of web/.
package web

import "embed"

// FS holds css/ and js/; the entry points are css/site.css and js/site.js.
//
//go:embed css js
var FS embed.FS
