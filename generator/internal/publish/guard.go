package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// CheckOut vets an output directory before a build into it. Publishing
// swaps the whole directory and deletes the previous one, so it refuses
// places where that would destroy something that is not a previous build:
//
//   - the site root or any folder above it (the site itself would be
//     swapped out and deleted);
//   - anything inside protected (the site's content/ and layouts/);
//   - an existing path that is not a directory (a file would be replaced).
//
// A symbolic link to a directory is followed: the build is published where
// it points. The returned path is the one to publish to.
func CheckOut(out, source string, protected ...string) (string, error) {
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	if fi, err := os.Lstat(abs); err == nil {
		if fi.Mode()&fs.ModeSymlink != 0 {
			if real, err := filepath.EvalSymlinks(abs); err == nil {
				abs = real
				fi, err = os.Stat(abs)
				if err != nil {
					return "", err
				}
			}
		}
		if !fi.IsDir() {
			return "", fmt.Errorf("--out %s 已存在且不是文件夹：生成网站会把它整个替换掉，请改用一个新的或原有的输出文件夹", out)
		}
	}
	real := resolve(abs)
	src := resolve(mustAbs(source))
	if real == src || within(src, real) {
		return "", fmt.Errorf("--out %s 是站点根目录或它的上级目录：发布时会替换并删除整个目录（包括 content/），请改用站点下的 public/ 或站点外的文件夹", out)
	}
	for _, p := range protected {
		p = resolve(mustAbs(filepath.Join(source, p)))
		if real == p || within(real, p) {
			return "", fmt.Errorf("--out %s 位于 %s 内：发布时会替换并删除该文件夹中的内容，请改用站点下的 public/ 或站点外的文件夹", out, p)
		}
	}
	return abs, nil
}

// resolve follows the symbolic links of the longest existing prefix of an
// absolute path, so that two spellings of one place compare equal.
func resolve(p string) string {
	rest := ""
	for {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(real, rest)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return filepath.Join(p, rest)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(p, rest)
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}

func mustAbs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// within reports whether p lies strictly inside dir.
func within(p, dir string) bool {
	return strings.HasPrefix(p, strings.TrimSuffix(dir, string(filepath.Separator))+string(filepath.Separator))
}
