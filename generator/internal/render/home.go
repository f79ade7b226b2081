package render

import (
	"html/template"
	"sort"
	"strconv"

	"zfgs/generator/internal/model"
)

type homeView struct {
	Title    string
	Intro    template.HTML
	Levels   []levelGroup
	Latest   []*Summary
	Overview []figure
	Lists    []link
}

// figure is one number of the overview ("执法决定 128 件").
type figure struct {
	Label, Value, Unit, Href string
}

const homeLatest = 20

func (b *Build) homePage(ix *caseIndex) error {
	s := b.r.site
	v := &homeView{Title: s.Config.Title, Levels: groupAgencies(s.Agencies), Latest: ix.store.gets(firstN(ix.newest, homeLatest))}
	if s.Intro != nil {
		if s.Intro.Title != "" {
			v.Title = s.Intro.Title
		}
		v.Intro = b.r.markdown.HTML(s.Intro.Body, 2)
	}
	var officers, items, benchmarks, entries, tasks int
	for _, a := range s.Agencies {
		officers += len(a.Officers)
		items += len(a.Items)
		benchmarks += len(a.Benchmarks)
		if a.Leniency != nil {
			entries += len(a.Leniency.Entries)
		}
		for _, p := range a.Plans {
			tasks += len(p.Tasks)
		}
	}
	onTime := 0
	for _, i := range ix.listed {
		if ix.store.refs[i].onTime {
			onTime++
		}
	}
	v.Overview = []figure{
		{"执法主体", strconv.Itoa(len(s.Agencies)), "个", "/agencies/"},
		{"持证执法人员", strconv.Itoa(officers), "名", "/agencies/"},
		{"执法事项", strconv.Itoa(items), "项", "/catalogue/"},
		{"裁量基准", strconv.Itoa(benchmarks), "条", "/benchmarks/"},
		{"四张清单事项", strconv.Itoa(entries), "项", "/leniency/"},
		{"检查计划任务", strconv.Itoa(tasks), "项", "/plans/"},
		{"公示执法决定", strconv.Itoa(len(ix.listed)), "件", "/cases/"},
		{"按期公示率", formatPercent(onTime, len(ix.listed)), "", "/timeliness/"},
	}
	v.Lists = b.siteLists()
	return b.writePage("home.html", &page{Path: "/", Nav: "home", D: v})
}

// siteLists links every site-wide list, in the order of the main navigation.
func (b *Build) siteLists() []link {
	out := []link{
		{"执法主体名录", "/agencies/"},
		{"行政执法事项目录", cataloguePath("")},
		{"行政裁量权基准", benchmarksPath("")},
	}
	for _, l := range presentLists(b.r.site.Agencies) {
		out = append(out, link{leniencyTitle(l.Name), leniencyPath("", l.Slug)})
	}
	out = append(out,
		link{"年度行政检查计划", plansPath("", 0)},
		link{"行政执法决定", casesPath("", 0, 0)},
		link{"年度行政执法数据", statsPath("", 0)},
		link{"公示情况（及时性）", timelinessPath("")},
		link{"开放数据下载", "/data/"},
	)
	return out
}

// agenciesView is /agencies/: every body, grouped as on the home page.
type agenciesView struct{ Levels []levelGroup }

func (b *Build) agenciesIndex() error {
	return b.writePage("agencies.html", &page{
		Title: "执法主体名录", Path: "/agencies/", Nav: "agencies",
		Crumbs: []link{{"首页", "/"}},
		D:      &agenciesView{Levels: groupAgencies(b.r.site.Agencies)},
	})
}

func (b *Build) notFoundPage(*caseIndex) error {
	html, err := b.r.exec("404.html", &page{Title: "页面不存在", Path: "/404.html", NoCanonical: true})
	if err != nil {
		return err
	}
	return b.w.WriteFile("404.html", html)
}

// dataIndexView is /data/: every open-data file, grouped by publisher.
type dataIndexView struct {
	Groups []dataGroup
}

type dataGroup struct {
	Scope string
	Files []dataFile
}

func (b *Build) dataIndexPage(*caseIndex) error {
	files := append([]dataFile(nil), b.data...)
	// The whole site first, then agencies in the site's order.
	rank := map[string]int{"全市": -1}
	for i, a := range b.r.site.Agencies {
		rank[a.Name] = i
	}
	sort.SliceStable(files, func(i, j int) bool {
		if rank[files[i].Scope] != rank[files[j].Scope] {
			return rank[files[i].Scope] < rank[files[j].Scope]
		}
		return files[i].CSV < files[j].CSV
	})
	v := &dataIndexView{}
	for _, f := range files {
		if n := len(v.Groups); n == 0 || v.Groups[n-1].Scope != f.Scope {
			v.Groups = append(v.Groups, dataGroup{Scope: f.Scope})
		}
		g := &v.Groups[len(v.Groups)-1]
		g.Files = append(g.Files, f)
	}
	return b.writePage("data-index.html", &page{
		Title: "开放数据", Path: "/data/", Nav: "data", Crumbs: []link{{"首页", "/"}}, D: v,
	})
}

// presentLists are the leniency lists any of the agencies publishes.
func presentLists(as []*model.Agency) []struct{ Name, Slug string } {
	var out []struct{ Name, Slug string }
	for _, l := range leniencyLists {
		for _, a := range as {
			if agencyHasList(a, l.Name) {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

func agencyHasList(a *model.Agency, list string) bool {
	if a.Leniency == nil {
		return false
	}
	if a.Leniency.Conditions[list] != "" {
		return true
	}
	for _, e := range a.Leniency.Entries {
		if e.List == list {
			return true
		}
	}
	return false
}
