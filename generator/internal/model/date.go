package model

import (
	"fmt"
	"time"
)

// Date is a calendar date (TOML local date) as days since 1970-01-01.
// Zero means "not given": no real 公示 date is 1970-01-01.
type Date int32

// DateOf returns the Date of y-m-d.
func DateOf(y int, m time.Month, d int) Date {
	return Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, err
	}
	return Date(t.Unix() / 86400), nil
}

// IsZero reports whether the date was not given.
func (d Date) IsZero() bool { return d == 0 }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// Year of d.
func (d Date) Year() int { return d.Time().Year() }

// Month of d.
func (d Date) Month() time.Month { return d.Time().Month() }

// Day of the month of d.
func (d Date) Day() int { return d.Time().Day() }

// Weekday of d.
func (d Date) Weekday() time.Weekday { return time.Weekday((int(d)%7 + 7 + 4) % 7) }

// AddDays returns d+n.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// AddMonths returns the same day n months later (clamped to month end).
func (d Date) AddMonths(n int) Date {
	t := d.Time()
	y, m := t.Year(), t.Month()+time.Month(n)
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	day := t.Day()
	if day > last {
		day = last
	}
	return DateOf(first.Year(), first.Month(), day)
}

// String is YYYY-MM-DD, or "" for the zero date.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	t := d.Time()
	return fmt.Sprintf("%04d-%02d-%02d", t.Year(), t.Month(), t.Day())
}

// Chinese is "2025年3月2日".
func (d Date) Chinese() string {
	if d == 0 {
		return ""
	}
	t := d.Time()
	return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
}
