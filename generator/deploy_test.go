package main

import (
	"os"
	"strings"
	"testing"

	"zfgs/generator/internal/render"
)

// TestDeployNginxCSP keeps the sample nginx config's header in step with
// the policy every page carries in its <meta>.
func TestDeployNginxCSP(t *testing.T) {
	conf, err := os.ReadFile("../deploy/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`add_header Content-Security-Policy "` + render.CSP + `" always;`,
		`X-Content-Type-Options "nosniff"`, "Referrer-Policy", "try_files $uri $uri/ =404;", "error_page 404 /404.html;", "immutable"} {
		if !strings.Contains(string(conf), want) {
			t.Errorf("deploy/nginx.conf lacks %q", want)
		}
	}
	for _, f := range []string{"github-actions.yml", "gitlab-ci.yml", "gitea-actions.yml"} {
		ci, err := os.ReadFile("../deploy/ci/" + f)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"generator check --source .", "generator build --source . --out public", "urls.lock", "rsync -a --delete public/"} {
			if !strings.Contains(string(ci), want) {
				t.Errorf("deploy/ci/%s lacks %q", f, want)
			}
		}
	}
}
