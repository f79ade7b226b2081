package content

import (
	"sort"
	"strconv"
	"strings"
)

func yuan(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func joinList(s []string) string { return strings.Join(s, "、") }

func joinLines(s []string) string { return strings.Join(s, "\n") }

func sortStrings(s []string) { sort.Strings(s) }
