package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// MaxFileSize bounds what import reads: agencies' tables are a few MiB.
const MaxFileSize = 64 << 20

// maxMergeCells bounds how many cells one merged range may fill (a range
// over a whole column would otherwise allocate a million rows).
const maxMergeCells = 200000

// Sheet is one table as the spreadsheet shows it: Rows[i] is row i+1, empty
// rows included, each cell trimmed; merged ranges carry their value into
// every cell they cover.
type Sheet struct {
	Rows [][]string
	// Raw is Rows without number formats (XLSX only): a date cell shown
	// as "Mar-21" is 44256 here, Excel's day number, which keeps the day.
	Raw [][]string
	// Encoding names what a CSV was decoded from ("UTF-8", "GBK"); "" for XLSX.
	Encoding string
}

// ReadSheet reads an .xlsx (the first sheet, or the one named sheet) or a
// .csv (UTF-8 with or without BOM, or GBK). name decides the format.
func ReadSheet(name string, data []byte, sheet string) (*Sheet, error) {
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("文件超过 %d MiB，请拆分后导入", MaxFileSize>>20)
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".xlsm":
		return readXLSX(data, sheet)
	case ".csv", ".txt":
		if sheet != "" {
			return nil, errors.New("--sheet 只适用于 .xlsx 文件")
		}
		return readCSV(data)
	case ".xls", ".et", ".wps":
		return nil, errors.New("不支持旧版 Excel/WPS 格式：请在 Excel 或 WPS 中“另存为” .xlsx 或 CSV（UTF-8）后再导入")
	}
	return nil, errors.New("只能导入 .xlsx 或 .csv 文件")
}

// maxUnzip bounds the parts of an .xlsx as their zip headers declare them
// (excelize's default is 16 GB, and it allocates a part's declared size
// before reading it: a damaged 6 KB file made it allocate 2 GB; found by
// FuzzImportXLSX). maxUnzipXML is the largest part kept in memory; a larger
// worksheet is unzipped to a temporary file.
const (
	maxUnzip    = 128 << 20
	maxUnzipXML = 32 << 20
)

func readXLSX(data []byte, sheet string) (*Sheet, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzip, UnzipXMLSizeLimit: maxUnzipXML})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return nil, fmt.Errorf("Excel 文件解压后超过 %d MiB（或文件已损坏），请拆分后导入", maxUnzip>>20)
		}
		return nil, fmt.Errorf("无法读取 Excel 文件（是否已加密或损坏？）：%v", err)
	}
	defer f.Close()
	names := f.GetSheetList()
	if len(names) == 0 {
		return nil, errors.New("Excel 文件中没有工作表")
	}
	if sheet == "" {
		sheet = names[0]
	} else if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		return nil, fmt.Errorf("没有名为“%s”的工作表；现有工作表：%s", sheet, strings.Join(names, "、"))
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		return nil, fmt.Errorf("无法读取工作表“%s”：%v", sheet, err)
	}
	raw, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("无法读取工作表“%s”：%v", sheet, err)
	}
	for _, rs := range [][][]string{rows, raw} {
		for _, r := range rs {
			for j := range r {
				r[j] = cleanCell(r[j])
			}
		}
	}
	merges, err := f.GetMergeCells(sheet)
	if err != nil {
		return nil, fmt.Errorf("无法读取工作表“%s”的合并单元格：%v", sheet, err)
	}
	budget := maxMergeCells
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil {
			continue
		}
		v := cleanCell(m.GetCellValue())
		if v == "" {
			continue
		}
		// Rows past the last one with data hold nothing to carry into.
		if r2 > len(rows) {
			r2 = len(rows)
		}
		for r := r1; r <= r2; r++ {
			for c := c1; c <= c2; c++ {
				if budget--; budget < 0 {
					return nil, errors.New("合并单元格范围过大，请取消整列/整行合并后再导入")
				}
				for len(rows[r-1]) < c {
					rows[r-1] = append(rows[r-1], "")
				}
				rows[r-1][c-1] = v
			}
		}
	}
	return &Sheet{Rows: rows, Raw: raw}, nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// decodeText returns the text of a CSV: UTF-8 (a BOM is dropped) when the
// bytes are valid UTF-8, otherwise GBK, as Excel on a Chinese Windows saves
// “CSV (逗号分隔)”.
func decodeText(data []byte) (string, string, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if utf8.Valid(data) {
		return string(data), "UTF-8", nil
	}
	out, err := simplifiedchinese.GBK.NewDecoder().Bytes(data)
	if err != nil || !utf8.Valid(out) || bytes.ContainsRune(out, utf8.RuneError) {
		return "", "", errors.New("无法识别文件编码（既不是 UTF-8 也不是 GBK）：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”")
	}
	return string(out), "GBK", nil
}

func readCSV(data []byte) (*Sheet, error) {
	text, enc, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	first, _, _ := strings.Cut(text, "\n")
	if strings.Count(first, "\t") > strings.Count(first, ",") {
		r.Comma = '\t'
	}
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			line, _ := r.FieldPos(0)
			return nil, fmt.Errorf("第%d行：CSV 格式错误：%v", line, err)
		}
		for j := range rec {
			rec[j] = cleanCell(rec[j])
		}
		rows = append(rows, rec)
	}
	return &Sheet{Rows: rows, Encoding: enc}, nil
}

// cleanCell normalizes line ends and trims blanks (including the
// full-width space) around a cell.
func cleanCell(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(s, "\u00a0", " ")
	return strings.Trim(s, " \t\n\u3000")
}
