package content

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"zfgs/generator/internal/diag"
	"zfgs/generator/internal/model"
	"zfgs/generator/internal/safefs"
)

// Paths of the site's files relative to the site root.
const (
	ConfigFile   = "config.toml"
	ContentDir   = "content"
	CalendarFile = "content/calendar.toml"
	StatsFile    = "content/stats.toml"
	IndexFile    = "content/_index.md"
	AgenciesDir  = "content/agencies"
)

// LoadSite reads everything but the cases' contents: the cases are listed as
// CaseRefs and read one at a time with ReadCase. References between objects
// are resolved by the rules package, not here.
func LoadSite(fsys fs.FS, diags *diag.List) *model.Site {
	s := &model.Site{
		Agency:    map[string]*model.Agency{},
		Item:      map[string]*model.Item{},
		Benchmark: map[string]*model.Benchmark{},
		Leniency:  map[string]*model.LeniencyEntry{},
		Officer:   map[string]*model.Officer{},
		Task:      map[string]*model.Task{},
	}
	if t, ok := readTOMLFile(fsys, ConfigFile, diags, true); ok {
		readConfig(t, &s.Config)
	}
	applyConfigDefaults(&s.Config)
	s.Calendar = model.Calendar{Holidays: map[model.Date]bool{}, Workdays: map[model.Date]bool{}, Years: map[int]bool{}}
	if t, ok := readTOMLFile(fsys, CalendarFile, diags, false); ok {
		readCalendar(t, &s.Calendar)
	}
	if t, ok := readTOMLFile(fsys, StatsFile, diags, false); ok {
		s.StatsTemplate = &model.StatsTemplate{}
		readStatsTemplate(t, s.StatsTemplate)
	}
	s.Intro = readPage(fsys, IndexFile, diags)

	entries, err := fs.ReadDir(fsys, AgenciesDir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		diags.Add(diag.Pos{File: AgenciesDir}, diag.EParse, "无法读取目录：%v", err)
	}
	caseSeen := map[string]string{}
	for _, e := range entries {
		if special(diags, AgenciesDir, e) {
			continue
		}
		if !e.IsDir() {
			if !strings.HasPrefix(e.Name(), ".") {
				diags.Add(diag.Pos{File: path.Join(AgenciesDir, e.Name())}, diag.EID,
					"content/agencies 下只能放执法主体文件夹（文件夹名即主体编号），请移走文件 %s", e.Name())
			}
			continue
		}
		a := loadAgency(fsys, e.Name(), diags, caseSeen, s)
		if a != nil {
			s.Agencies = append(s.Agencies, a)
			s.Agency[a.ID] = a
		}
	}
	rank := map[string]int{"省": 0, "市": 1, "县": 2, "镇": 3}
	sort.SliceStable(s.Agencies, func(i, j int) bool {
		a, b := s.Agencies[i], s.Agencies[j]
		if rank[a.Level] != rank[b.Level] {
			return rank[a.Level] < rank[b.Level]
		}
		return a.ID < b.ID
	})
	sort.Slice(s.Cases, func(i, j int) bool { return s.Cases[i].File < s.Cases[j].File })
	return s
}

// readErr reports a file that exists but cannot be read.
func readErr(diags *diag.List, name string, err error) {
	if tooLarge(diags, name, err) {
		return
	}
	if errors.Is(err, safefs.ErrSpecial) {
		diags.Add(diag.Pos{File: name}, diag.EID, "%s 是符号链接或特殊文件：内容文件必须是仓库中的普通文件，请用实际文件替换", name)
		return
	}
	diags.Add(diag.Pos{File: name}, diag.EParse, "无法读取文件：%v", err)
}

// special reports a directory entry that is a symlink or special file.
func special(diags *diag.List, dir string, e fs.DirEntry) bool {
	if e.Type()&(fs.ModeSymlink|fs.ModeDevice|fs.ModeNamedPipe|fs.ModeSocket|fs.ModeCharDevice|fs.ModeIrregular) == 0 {
		return false
	}
	diags.Add(diag.Pos{File: path.Join(dir, e.Name())}, diag.EID, "%s 是符号链接或特殊文件：内容文件必须是仓库中的普通文件或文件夹，请用实际文件替换", path.Join(dir, e.Name()))
	return true
}

// LoadConfig reads config.toml alone (for commands that need only the
// base URL and settings, like `generator qr`).
func LoadConfig(fsys fs.FS, diags *diag.List) model.Config {
	var c model.Config
	if t, ok := readTOMLFile(fsys, ConfigFile, diags, true); ok {
		readConfig(t, &c)
	}
	applyConfigDefaults(&c)
	return c
}

// readTOMLFile reads and parses one TOML file. A missing optional file is
// not an error.
func readTOMLFile(fsys fs.FS, name string, diags *diag.List, required bool) (table, bool) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			if required {
				diags.Add(diag.Pos{File: name}, diag.ERequired, "缺少文件 %s", name)
			}
		} else {
			readErr(diags, name, err)
		}
		return table{}, false
	}
	data = checkEncoding(name, data, diags)
	if data == nil {
		return table{}, false
	}
	m, f := parseTOML(name, data, 0, diags)
	if m == nil {
		return table{}, false
	}
	return table{f: f, m: m}, true
}

func readConfig(t table, c *model.Config) {
	t.known("title", "base_url", "language", "footer", "rules")
	c.Title = t.str("title", true)
	c.BaseURL = strings.TrimRight(t.str("base_url", true), "/")
	if c.BaseURL != "" && !strings.HasPrefix(c.BaseURL, "https://") && !strings.HasPrefix(c.BaseURL, "http://") {
		t.f.diags.Add(t.pos("base_url"), diag.EEnum, "base_url 须为以 https:// 开头的完整网址（二维码将编码该网址）")
	}
	c.Language = t.str("language", false)
	c.Src = t.where()
	f := t.sub("footer")
	f.known("sponsor", "site_code", "icp", "police")
	c.Footer = model.Footer{Sponsor: f.str("sponsor", false), SiteCode: f.str("site_code", false), ICP: f.str("icp", false), Police: f.str("police", false)}
	r := t.sub("rules")
	r.known("publish_days_permit_penalty", "publish_days_other", "stats_due", "quiet_days", "max_onsite_per_year", "qr_ecc",
		"publish_months_minor", "minor_fine_person", "minor_fine_org", "publish_months")
	rc := &c.Rules
	rc.PublishDaysPermitPenalty = r.integer("publish_days_permit_penalty", false)
	rc.PublishDaysOther = r.integer("publish_days_other", false)
	if due := r.str("stats_due", false); due != "" {
		tm, err := time.Parse("01-02", due)
		if err != nil {
			r.f.diags.Add(r.pos("stats_due"), diag.EParse, "stats_due 应写作“月-日”，如 \"01-31\"")
		} else {
			rc.StatsDueMonth, rc.StatsDueDay = tm.Month(), tm.Day()
		}
	}
	rc.QuietDays = r.ints("quiet_days")
	for i, d := range rc.QuietDays {
		if d < 1 || d > 31 {
			r.f.diags.Add(r.f.at("rules.quiet_days["+strconv.Itoa(i)+"]"), diag.EEnum, "quiet_days 的日期 %d 应在 1–31 之间", d)
		}
	}
	rc.MaxOnsitePerYear = r.integer("max_onsite_per_year", false)
	rc.QRECC = r.str("qr_ecc", false)
	r.enum("qr_ecc", rc.QRECC, eccLevels)
	rc.PublishMonthsMinor = r.integer("publish_months_minor", false)
	if v := r.num("minor_fine_person"); v != nil {
		rc.MinorFinePerson = *v
	}
	if v := r.num("minor_fine_org"); v != nil {
		rc.MinorFineOrg = *v
	}
	rc.PublishMonths = r.integer("publish_months", false)
}

func applyConfigDefaults(c *model.Config) {
	r := &c.Rules
	if r.PublishDaysPermitPenalty == 0 {
		r.PublishDaysPermitPenalty = 7
	}
	if r.PublishDaysOther == 0 {
		r.PublishDaysOther = 20
	}
	if r.StatsDueMonth == 0 {
		r.StatsDueMonth, r.StatsDueDay = time.January, 31
	}
	if r.QRECC == "" {
		r.QRECC = "Q"
	}
	if c.Language == "" {
		c.Language = "zh-CN"
	}
}

func readCalendar(t table, c *model.Calendar) {
	t.known("holidays", "workdays", "years")
	c.Src = t.where()
	hol, _ := t.dates("holidays")
	work, _ := t.dates("workdays")
	for _, d := range hol {
		c.Holidays[d] = true
		c.Years[d.Year()] = true
	}
	for _, d := range work {
		c.Workdays[d] = true
		c.Years[d.Year()] = true
	}
	if t.has("years") {
		// An explicit list is the whole truth: a year with only weekend
		// make-up days is still covered, one listed by accident is not.
		c.Years = map[int]bool{}
		for _, y := range t.ints("years") {
			c.Years[y] = true
		}
	}
}

// readPage reads a Markdown page with optional TOML front matter.
func readPage(fsys fs.FS, name string, diags *diag.List) *model.Page {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			readErr(diags, name, err)
		}
		return nil
	}
	data = checkEncoding(name, data, diags)
	if data == nil {
		return nil
	}
	p := &model.Page{File: name, BodyLine: 1, Body: string(data)}
	defer func() {
		// With or without front matter, the body is published.
		scanBodyPII(diags, name, p.Body, p.BodyLine)
		checkMarkdownBody(diags, name, p.Body, p.BodyLine)
	}()
	if front, body, fmLine, bodyLine, ok := splitFrontMatter(data); ok {
		p.Body, p.BodyLine = string(body), bodyLine
		if m, f := parseTOML(name, front, fmLine, diags); m != nil {
			t := table{f: f, m: m}
			t.known("title")
			p.Title = t.str("title", false)
		}
	}
	return p
}

func loadAgency(fsys fs.FS, id string, diags *diag.List, caseSeen map[string]string, s *model.Site) *model.Agency {
	dir := path.Join(AgenciesDir, id)
	if !validAgencyID(id) {
		diags.Add(diag.Pos{File: dir}, diag.EID, "执法主体文件夹名 %q 不符合规则：只能用小写英文字母、数字和连字符，2–32 个字符（如 jm-scjg）", id)
		return nil
	}
	a := &model.Agency{ID: id, Dir: dir}
	t, ok := readTOMLFile(fsys, path.Join(dir, "agency.toml"), diags, true)
	if !ok {
		return nil
	}
	readAgency(t, a)
	if t, ok := readTOMLFile(fsys, path.Join(dir, "catalogue.toml"), diags, false); ok {
		readCatalogue(t, a)
	}
	if t, ok := readTOMLFile(fsys, path.Join(dir, "benchmarks.toml"), diags, false); ok {
		readBenchmarks(t, a)
	}
	if t, ok := readTOMLFile(fsys, path.Join(dir, "leniency.toml"), diags, false); ok {
		readLeniency(t, a)
	}
	for _, name := range yearFiles(fsys, path.Join(dir, "plans"), diags) {
		year, _ := strconv.Atoi(strings.TrimSuffix(name, ".toml"))
		file := path.Join(dir, "plans", name)
		if t, ok := readTOMLFile(fsys, file, diags, false); ok {
			p := &model.Plan{Agency: a, File: file}
			readPlan(t, p, year)
			a.Plans = append(a.Plans, p)
		}
	}
	for _, name := range yearFiles(fsys, path.Join(dir, "stats"), diags) {
		year, _ := strconv.Atoi(strings.TrimSuffix(name, ".toml"))
		file := path.Join(dir, "stats", name)
		if t, ok := readTOMLFile(fsys, file, diags, false); ok {
			st := &model.Stats{Agency: a, File: file}
			readStats(t, st, year)
			a.Stats = append(a.Stats, st)
		}
	}
	listCases(fsys, a, diags, caseSeen, s)
	return a
}

// yearFiles lists <year>.toml files of dir, reporting other names.
func yearFiles(fsys fs.FS, dir string, diags *diag.List) []string {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || special(diags, dir, e) {
			continue
		}
		if e.IsDir() || !isYearName(strings.TrimSuffix(name, ".toml")) || !strings.HasSuffix(name, ".toml") {
			diags.Add(diag.Pos{File: path.Join(dir, name)}, diag.EID, "文件名 %q 不符合规则：应为“四位年份.toml”，如 2026.toml", name)
			continue
		}
		out = append(out, name)
	}
	return out
}

func isYearName(s string) bool {
	if len(s) != 4 {
		return false
	}
	y, err := strconv.Atoi(s)
	return err == nil && y >= 1990 && y <= 2200
}

func listCases(fsys fs.FS, a *model.Agency, diags *diag.List, seen map[string]string, s *model.Site) {
	dir := path.Join(a.Dir, "cases")
	years, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return
	}
	for _, y := range years {
		ydir := path.Join(dir, y.Name())
		if strings.HasPrefix(y.Name(), ".") || special(diags, dir, y) {
			continue
		}
		if !y.IsDir() || !isYearName(y.Name()) {
			diags.Add(diag.Pos{File: ydir}, diag.EID, "案件须放在 cases/<四位年份>/ 文件夹中，%q 不符合", y.Name())
			continue
		}
		year, _ := strconv.Atoi(y.Name())
		files, err := fs.ReadDir(fsys, ydir)
		if err != nil {
			diags.Add(diag.Pos{File: ydir}, diag.EParse, "无法读取目录：%v", err)
			continue
		}
		for _, f := range files {
			name := f.Name()
			file := path.Join(ydir, name)
			if strings.HasPrefix(name, ".") || special(diags, ydir, f) {
				continue
			}
			id := strings.TrimSuffix(name, ".md")
			if f.IsDir() {
				diags.Add(diag.Pos{File: file}, diag.EID, "cases/%d/ 中不应有文件夹 %q：案件文件直接放在年份文件夹中，每件一个“案件编号.md”", year, name)
				continue
			}
			if !strings.HasSuffix(name, ".md") || !validID(id) {
				diags.Add(diag.Pos{File: file}, diag.EID, "案件文件名 %q 不符合规则：应为“案件编号.md”，编号只用英文字母、数字和连字符（如 JM-SCJG-2025-0012.md）", name)
				continue
			}
			if first, dup := seen[id]; dup {
				diags.AddNote(diag.Pos{File: file, Line: 1, Col: 1}, diag.EDupID, diag.Note{Pos: diag.Pos{File: first, Line: 1, Col: 1}, Message: "同一编号的案件"},
					"案件编号 %s 在全站重复（案件编号即文件名，须全站唯一）", id)
				continue
			}
			// The id as a substring of the path: one string a case, not two
			// (a million refs stay in memory for the whole build).
			id = file[len(file)-len(name) : len(file)-len(".md")]
			seen[id] = file
			s.Cases = append(s.Cases, model.CaseRef{ID: id, Agency: a.ID, Year: year, File: file})
		}
	}
}

// ReadCase reads and parses one case file.
func ReadCase(fsys fs.FS, ref model.CaseRef, diags *diag.List) *model.Case {
	data, err := fs.ReadFile(fsys, ref.File)
	if err != nil {
		readErr(diags, ref.File, err)
		return nil
	}
	c := ParseCase(ref, data, diags)
	if c != nil {
		c.Digest = sha256.Sum256(data)
	}
	return c
}
