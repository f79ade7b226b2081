package rules

import "zfgs/generator/internal/model"

// Workdays counts working days with the site's calendar: a working day is a
// Monday–Friday not in holidays, or any day in workdays (调休).
type Workdays struct{ cal *model.Calendar }

// NewWorkdays returns a counter over cal.
func NewWorkdays(cal *model.Calendar) Workdays { return Workdays{cal: cal} }

// IsWorkday reports whether d is a working day.
func (w Workdays) IsWorkday(d model.Date) bool {
	if w.cal.Workdays[d] {
		return true
	}
	if w.cal.Holidays[d] {
		return false
	}
	wd := d.Weekday()
	return wd != 0 && wd != 6
}

// Covered reports whether the calendar has the schedule of year y.
func (w Workdays) Covered(y int) bool { return w.cal.Years[y] }

// Deadline returns the n-th working day after from: the day of the decision
// is not counted (期间开始之日不计算在内). uncovered is the first year the
// count passed through that the calendar does not cover (0 if none); the
// count then fell back to Monday–Friday for that year.
func (w Workdays) Deadline(from model.Date, n int) (due model.Date, uncovered int) {
	d := from
	if !w.Covered(d.Year()) {
		uncovered = d.Year()
	}
	for n > 0 {
		d++
		if uncovered == 0 && !w.Covered(d.Year()) {
			uncovered = d.Year()
		}
		if w.IsWorkday(d) {
			n--
		}
	}
	return d, uncovered
}
