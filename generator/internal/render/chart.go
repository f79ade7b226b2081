package render

import (
	"fmt"
	"math"
)

// chartView is a horizontal bar chart drawn as inline SVG by the "chart"
// layout (partials.html). Geometry is computed here so the layout only
// places numbers; colours come from CSS classes because the CSP forbids
// style attributes. Each bar's label sits on its own line above the bar, so
// long Chinese labels need no truncation at 360 px.
type chartView struct {
	ID     string // unique on the page: labels the SVG via aria-labelledby
	Title  string
	Width  int
	Height int
	Bars   []barView
}

type barView struct {
	Label, Value         string
	LabelY, BarY, ValueY int
	W, ValueX            int
}

type bar struct {
	Label string
	Value float64
}

// Chart geometry in SVG user units (the SVG scales to the column width).
const (
	chartWidth  = 400
	chartLabelH = 19 // label line (15-unit text: ~12 px on a 360 px phone)
	chartBarH   = 14
	chartGap    = 12 // below each bar
	chartValueW = 80 // room right of the longest bar for its value
)

// barChart lays out bars; it returns nil when there is nothing to compare
// (fewer than two bars, or every value zero): the table says it all.
func barChart(id, title string, bars []bar) *chartView {
	maxV := 0.0
	for _, b := range bars {
		maxV = math.Max(maxV, b.Value)
	}
	if len(bars) < 2 || maxV <= 0 {
		return nil
	}
	c := &chartView{ID: id, Title: title, Width: chartWidth}
	y := 0
	span := float64(chartWidth - chartValueW)
	for _, b := range bars {
		w := int(math.Round(b.Value / maxV * span))
		if b.Value > 0 && w < 1 {
			w = 1 // a non-zero value stays visible
		}
		if w < 0 {
			w = 0
		}
		c.Bars = append(c.Bars, barView{
			Label:  b.Label,
			Value:  formatNumber(b.Value),
			LabelY: y + 15,
			BarY:   y + chartLabelH + 2,
			ValueY: y + chartLabelH + 14,
			W:      w,
			ValueX: w + 6,
		})
		y += chartLabelH + 2 + chartBarH + chartGap
	}
	c.Height = y
	return c
}

func chartID(prefix string, i int) string { return fmt.Sprintf("%s-%d", prefix, i) }
